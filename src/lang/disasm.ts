/** A listing of a program image's byte code, one instruction a line, for `epython --disasm`. */
import { lineAt, type ProgramImage } from "./image.js";
import { Native, OP_NAMES, OPERANDS } from "./opcodes.js";

const NATIVE_NAMES: string[] = [];
for (const [name, id] of Object.entries(Native)) NATIVE_NAMES[id] = name;

export function disassemble(img: ProgramImage): string {
  const code = img.code;
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const entries = new Map(img.functions.map((f) => [f.entry, f]));
  const out: string[] = [];
  let pc = 0;
  let lastLine = "";
  while (pc < code.length) {
    const f = entries.get(pc);
    if (f) out.push(`\n${f.name}(${f.nparams} parameter${f.nparams === 1 ? "" : "s"}, ${f.nlocals} local${f.nlocals === 1 ? "" : "s"}):`);
    const where = lineAt(img, pc);
    const here = `${where.file}:${where.line}`;
    const name = OP_NAMES[code[pc]!];
    if (!name) {
      out.push(`${String(pc).padStart(5)}  ?? ${code[pc]}`);
      pc++;
      continue;
    }
    const start = pc;
    pc++;
    const args: string[] = [];
    for (const kind of OPERANDS[name].split(" ").filter((k) => k)) {
      switch (kind) {
        case "u8": args.push(String(code[pc]!)); pc += 1; break;
        case "i8": args.push(String((code[pc]! << 24) >> 24)); pc += 1; break;
        case "u16": args.push(String(dv.getUint16(pc, true))); pc += 2; break;
        case "i32": args.push(String(dv.getInt32(pc, true))); pc += 4; break;
        case "f32": args.push(String(dv.getFloat32(pc, true))); pc += 4; break;
      }
    }
    let note = "";
    if (name === "PUSH_STR") note = JSON.stringify(img.strings[Number(args[0])]);
    else if (name === "LOAD_GLOBAL" || name === "STORE_GLOBAL" || name === "INC_GLOBAL" || name === "REF_GLOBAL") note = img.globalNames[Number(args[0])] ?? "";
    else if (name === "CALL" || name === "PUSH_FN") note = img.functions[Number(args[0])]?.name ?? "";
    else if (name === "NATIVE") note = NATIVE_NAMES[Number(args[0])] ?? "";
    const src = here !== lastLine ? `  ; ${here}` : "";
    lastLine = here;
    out.push(`${String(start).padStart(5)}  ${name.padEnd(14)}${args.join(" ").padEnd(16)}${note ? ` ${note}` : ""}${src}`);
  }
  return out.join("\n").replace(/^\n/, "") + "\n";
}
