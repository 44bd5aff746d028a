/** The syntax tree the parser builds and the compiler walks. `file` indexes the program's source files. */
export interface Pos {
  file: number;
  line: number;
  col: number;
}

export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "is" | "isnot";

export type Expr =
  | { k: "int"; v: number; pos: Pos }
  | { k: "real"; v: number; pos: Pos }
  | { k: "str"; v: string; pos: Pos }
  | { k: "bool"; v: boolean; pos: Pos }
  | { k: "none"; pos: Pos }
  | { k: "name"; name: string; pos: Pos }
  | { k: "index"; target: Expr; indices: Expr[]; pos: Pos }
  | { k: "call"; callee: Expr; args: Expr[]; pos: Pos }
  | { k: "native"; name: string; args: Expr[]; pos: Pos }
  | { k: "bin"; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { k: "and" | "or"; left: Expr; right: Expr; pos: Pos }
  | { k: "not" | "neg"; operand: Expr; pos: Pos }
  | { k: "list"; items: Expr[]; pos: Pos }
  | { k: "listrep"; items: Expr[]; count: Expr; pos: Pos }
  | { k: "input"; prompt: Expr | null; pos: Pos };

export type Target = { k: "name"; name: string; pos: Pos } | { k: "index"; target: Expr; indices: Expr[]; pos: Pos };

export interface Param {
  name: string;
  def: Expr | null;
  pos: Pos;
}

export type Stmt =
  | { k: "assign"; target: Target; value: Expr; pos: Pos }
  | { k: "augassign"; op: BinaryOp; target: Target; value: Expr; pos: Pos }
  | { k: "if"; branches: { cond: Expr; body: Stmt[] }[]; orelse: Stmt[] | null; pos: Pos }
  | { k: "while"; cond: Expr; body: Stmt[]; pos: Pos }
  | { k: "for"; name: string; iter: Expr; body: Stmt[]; pos: Pos }
  | { k: "def"; name: string; params: Param[]; body: Stmt[]; pos: Pos }
  | { k: "return"; value: Expr | null; pos: Pos }
  | { k: "print"; values: Expr[]; pos: Pos }
  | { k: "expr"; expr: Expr; pos: Pos }
  | { k: "exit"; pos: Pos }
  | { k: "pass"; pos: Pos }
  | { k: "break"; pos: Pos }
  | { k: "continue"; pos: Pos }
  | { k: "import"; modules: { name: string; pos: Pos }[]; pos: Pos };
