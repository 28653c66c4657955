"""Statements and expressions of classic ASP code, from ``asp_lex`` tokens.

Not a full VBScript/JScript grammar: enough structure for dataflow and constant folding.
Statements become assignments, expression statements (VBScript calls without parentheses
included), function definitions and ``With`` blocks; control flow keywords are dropped (the
analysis is flow-insensitive for taint), their conditions kept as expression statements.
Nodes are ``NamedTuple``s: immutable, typed, and several times cheaper to build than frozen
dataclasses (a large page has hundreds of thousands of them). Chains of one binary operator
are n-ary nodes, so ``Chr(1)&Chr(2)&...`` thousands long never recurses deeply; nesting
depth is capped at ``MAX_DEPTH`` and a statement that does not parse is skipped up to the
next separator. Never raises on any token list.
"""

from __future__ import annotations

from typing import NamedTuple

from sscguard.detect.webshell.asp_lex import Tok

MAX_DEPTH = 60


# -- expressions ----------------------------------------------------------------------------


class Str(NamedTuple):
    value: str
    line: int


class Num(NamedTuple):
    text: str
    line: int


class Name(NamedTuple):
    name: str  # lower case
    line: int
    raw: str = ""


class Member(NamedTuple):
    obj: Expr | None  # None: the object of the enclosing With block
    name: str  # lower case
    line: int


class Call(NamedTuple):
    fn: Expr
    args: tuple[Expr | None, ...]
    line: int


class Index(NamedTuple):
    obj: Expr
    key: Expr
    line: int


class NAry(NamedTuple):
    """``a op1 b op2 c``: one precedence level, left to right."""

    ops: tuple[str, ...]
    items: tuple[Expr, ...]
    line: int


class Unary(NamedTuple):
    op: str
    expr: Expr
    line: int


class New(NamedTuple):
    expr: Expr
    line: int


class Dict(NamedTuple):
    items: tuple[tuple[str, Expr], ...]
    line: int


class Arr(NamedTuple):
    items: tuple[Expr, ...]
    line: int


class FuncRef(NamedTuple):
    """A JScript function expression, defined under a generated name."""

    name: str
    line: int


Expr = Str | Num | Name | Member | Call | Index | NAry | Unary | New | Dict | Arr | FuncRef


# -- statements -----------------------------------------------------------------------------


class Assign(NamedTuple):
    target: Expr
    value: Expr
    line: int


class ExprStmt(NamedTuple):
    expr: Expr
    line: int


class With(NamedTuple):
    obj: Expr | None  # None: End With
    line: int


class FuncDef(NamedTuple):
    name: str
    params: tuple[str, ...]
    body: tuple[Stmt, ...]
    line: int


class Local(NamedTuple):
    """``Dim`` inside a procedure: the names are local to it."""

    names: tuple[str, ...]
    line: int


Stmt = Assign | ExprStmt | With | FuncDef | Local

_VB_PREC: tuple[tuple[str, ...], ...] = (
    ("imp",), ("eqv",), ("xor",), ("or",), ("and",),
    ("=", "<>", "<", ">", "<=", ">=", "is"), ("&",), ("+", "-"), ("mod",), ("\\",), ("*", "/"),
)  # fmt: skip
_JS_PREC: tuple[tuple[str, ...], ...] = (
    ("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!=", "===", "!=="),
    ("<", ">", "<=", ">=", "instanceof", "in"), ("<<", ">>", ">>>"), ("+", "-"), ("*", "/", "%"),
)  # fmt: skip
_VB_SKIP_STMT = {
    "option", "on", "exit", "next", "loop", "wend", "end", "else", "randomize", "erase",
    "class", "resume", "goto", "stop", "do", "case", "elseif", "then", "endif",
}  # fmt: skip
_VB_DECL = {"dim", "redim", "static", "const", "public", "private", "global"}
_JS_STMT_KW = {"if", "while", "for", "switch", "catch", "with"}
_JS_SKIP = {"else", "try", "finally", "do", "break", "continue", "case", "default", "throw"}


class ParseError(Exception):
    pass


class Parser:
    def __init__(self, toks: list[Tok], lang: str) -> None:
        self.t = toks
        self.i = 0
        self.js = lang == "jscript"
        self.depth = 0
        self.anon = 0
        self.prec = _JS_PREC if self.js else _VB_PREC
        self.levels = len(self.prec)
        self.op_levels = {op: k for k, ops in enumerate(self.prec) for op in ops}
        self.pending: list[FuncDef] = []

    # -- token helpers ----------------------------------------------------------------

    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.t[j] if j < len(self.t) else None

    def at(self, text: str, k: int = 0) -> bool:
        tok = self.peek(k)
        if tok is None or tok.kind not in ("op", "id"):
            return False
        return tok.text.lower() == text if tok.kind == "id" else tok.text == text

    def eat(self, text: str) -> bool:
        if self.at(text):
            self.i += 1
            return True
        return False

    def line(self) -> int:
        tok = self.peek()
        if tok is None:
            return self.t[-1].line if self.t else 1
        return tok.line

    def at_end(self) -> bool:
        tok = self.peek()
        if tok is None or tok.kind == "nl":
            return True
        if self.js:
            return tok.kind == "op" and tok.text in ("}", "{")
        return tok.kind == "id" and tok.text.lower() in ("then", "else")

    def skip_statement(self) -> None:
        while not self.at_end():
            self.i += 1
        if self.peek() is not None and not (self.js and self.at("}")):
            self.i += 1

    # -- statements -------------------------------------------------------------------

    def program(self) -> list[Stmt]:
        out: list[Stmt] = []
        self.block(out, ())
        return out

    def block(self, out: list[Stmt], ends: tuple[str, ...]) -> None:
        """Statements up to ``End <one of ends>`` (VBScript) or the matching ``}`` (JScript)."""
        nested = 0
        while self.peek() is not None:
            tok = self.t[self.i]
            if tok.kind == "nl":
                self.i += 1
                continue
            if self.js and tok.kind == "op" and tok.text == "{":
                nested += 1
                self.i += 1
                continue
            if self.js and tok.kind == "op" and tok.text == "}":
                self.i += 1
                if nested:
                    nested -= 1
                elif ends:
                    return
                continue
            if not self.js and tok.kind == "id" and tok.text.lower() == "end" and ends:
                nxt = self.peek(1)
                if nxt is not None and nxt.text.lower() in ends:
                    self.i += 2
                    return
            start = self.i
            try:
                self.statement(out)
            except (ParseError, RecursionError):
                self.i = max(self.i, start)
                self.skip_statement()
            if self.i == start:
                self.i += 1

    def statement(self, out: list[Stmt]) -> None:
        if self.js:
            self.js_statement(out)
        else:
            self.vb_statement(out)

    def vb_statement(self, out: list[Stmt]) -> None:
        tok = self.t[self.i]
        word = tok.text.lower() if tok.kind == "id" else ""
        line = tok.line
        if word in ("public", "private") and self.at("default", 1):
            self.i += 1
        if word in ("public", "private") and self.peek(1) is not None:
            nxt = self.t[self.i + 1].text.lower()
            if nxt in ("function", "sub", "property"):
                self.i += 1
                word = nxt
        if word in ("function", "sub", "property"):
            self.i += 1
            if word == "property":
                self.i += 1  # Get / Let / Set
            out.append(self.vb_function(line))
            return
        if word in ("if", "elseif", "while", "until"):
            self.i += 1
            if word in ("if", "elseif"):
                out.append(ExprStmt(self.expr(), line))
                self.eat("then")
            else:
                out.append(ExprStmt(self.expr(), line))
            return
        if word == "do" and (self.at("while", 1) or self.at("until", 1)):
            self.i += 2
            out.append(ExprStmt(self.expr(), line))
            return
        if word == "loop" and (self.at("while", 1) or self.at("until", 1)):
            self.i += 2
            out.append(ExprStmt(self.expr(), line))
            return
        if word == "select":
            self.i += 1
            self.eat("case")
            out.append(ExprStmt(self.expr(), line))
            return
        if word == "case":
            self.skip_statement()
            return
        if word == "with":
            self.i += 1
            out.append(With(self.expr(), line))
            return
        if word == "end" and self.at("with", 1):
            self.i += 2
            out.append(With(None, line))
            return
        if word in ("then", "else"):
            self.i += 1
            return
        if word in _VB_SKIP_STMT:
            self.skip_statement()
            return
        if word in _VB_DECL:
            self.i += 1
            self.vb_declaration(out, word, line)
            return
        if word == "for":
            self.i += 1
            if self.eat("each"):
                target = self.postfix()
                self.eat("in")
                out.append(Assign(target, Call(Name("__each", line), (self.expr(),), line), line))
            else:
                target = self.postfix()
                if self.eat("="):
                    start = self.expr()
                    out.append(Assign(target, Call(Name("__loop", line), (start,), line), line))
                self.skip_statement()
            return
        if word == "set" or word == "call":
            self.i += 1
        elif word == "__echo":
            self.i += 1
            value = self.expr()
            echo = Member(Name("response", line), "write", line)
            out.append(ExprStmt(Call(echo, (value,), line), line))
            return
        self.vb_simple(out, line)

    def vb_simple(self, out: list[Stmt], line: int) -> None:
        target = self.postfix()
        if self.eat("="):
            out.append(Assign(target, self.expr(), line))
            return
        if self.at_end():
            if isinstance(target, (Name, Member)):
                target = Call(target, (), line)
            out.append(ExprStmt(target, line))
            return
        # a call without parentheses: `obj.Method a, b` (or `Method (a), b`)
        args: list[Expr | None] = []
        if isinstance(target, Call) and self.at(","):
            args.extend(target.args)
            target = target.fn
            self.i += 1
        args.extend(self.arglist())
        out.append(ExprStmt(Call(target, tuple(args), line), line))

    def arglist(self) -> list[Expr | None]:
        args: list[Expr | None] = []
        while True:
            if self.at(",") or self.at_end():
                args.append(None)
            else:
                args.append(self.expr())
            if not self.eat(","):
                break
        while args and args[-1] is None:
            args.pop()
        return args

    def vb_declaration(self, out: list[Stmt], word: str, line: int) -> None:
        is_const = word == "const" or self.at("const")
        self.eat("const")
        self.eat("preserve")
        names: list[str] = []
        while not self.at_end():
            tok = self.peek()
            if tok is None or tok.kind != "id":
                self.skip_statement()
                break
            name = tok.text.lower()
            names.append(name)
            self.i += 1
            if self.at("("):  # array bounds
                self.postfix_tail(Name(name, line, tok.text))
            if is_const and self.eat("="):
                out.append(Assign(Name(name, line, tok.text), self.expr(), line))
            if not self.eat(","):
                break
        if names and not is_const and word == "dim":
            out.append(Local(tuple(names), line))

    def vb_function(self, line: int) -> FuncDef:
        tok = self.peek()
        name = tok.text.lower() if tok is not None and tok.kind == "id" else "__anon"
        self.i += 1
        params = self.params()
        body: list[Stmt] = []
        self.block(body, ("function", "sub", "property"))
        return FuncDef(name, params, tuple(body), line)

    def params(self) -> tuple[str, ...]:
        names: list[str] = []
        if not self.eat("("):
            return ()
        while self.peek() is not None and not self.at(")"):
            tok = self.t[self.i]
            if tok.kind == "nl":
                break
            if tok.kind == "id" and tok.text.lower() not in ("byval", "byref", "optional"):
                names.append(tok.text.lower())
            self.i += 1
        self.eat(")")
        return tuple(names)

    # -- JScript statements ------------------------------------------------------------

    def js_statement(self, out: list[Stmt]) -> None:
        tok = self.t[self.i]
        word = tok.text if tok.kind == "id" else ""
        line = tok.line
        if word == "function" and self.peek(1) is not None and self.t[self.i + 1].kind == "id":
            self.i += 1
            out.append(self.js_function(self.t[self.i].text.lower(), line, skip_name=True))
            return
        if word in _JS_STMT_KW:
            self.i += 1
            if self.at("("):
                self.i += 1
                if word == "for":
                    self.js_for_head(out, line)
                else:
                    cond = self.expr()
                    self.eat(")")
                    out.append(ExprStmt(cond, line))
            return
        if word in _JS_SKIP:
            self.i += 1
            return
        if word == "return":
            self.i += 1
            if not self.at_end():
                out.append(Assign(Name("__return", line), self.expr(), line))
            return
        if word in ("var", "let", "const"):
            self.i += 1
            while not self.at_end():
                target = self.postfix()
                if self.eat("="):
                    out.append(Assign(target, self.expr(), line))
                if not self.eat(","):
                    break
            return
        if word == "__echo":
            self.i += 1
            value = self.expr()
            echo = Member(Name("response", line), "write", line)
            out.append(ExprStmt(Call(echo, (value,), line), line))
            return
        target = self.expr()
        if self.at("=") or self.at("+="):
            op = self.t[self.i].text
            self.i += 1
            value = self.expr()
            if op == "+=":
                value = NAry(("+",), (target, value), line)
            out.append(Assign(target, value, line))
            return
        out.append(ExprStmt(target, line))

    def js_for_head(self, out: list[Stmt], line: int) -> None:
        self.eat("var")
        if self.peek(1) is not None and self.at("in", 1):
            target = self.postfix()
            self.eat("in")
            coll = self.expr()
            out.append(Assign(target, Call(Name("__each", line), (coll,), line), line))
        depth = 1
        while self.peek() is not None and depth:
            tok = self.t[self.i]
            if tok.kind == "op" and tok.text == "(":
                depth += 1
            elif tok.kind == "op" and tok.text == ")":
                depth -= 1
            self.i += 1

    def js_function(self, name: str, line: int, skip_name: bool) -> FuncDef:
        if skip_name:
            self.i += 1
        params = self.params()
        body: list[Stmt] = []
        if self.eat("{"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ParseError("nesting")
            try:
                self.block(body, ("}",))
            finally:
                self.depth -= 1
        return FuncDef(name, params, tuple(body), line)

    # -- expressions --------------------------------------------------------------------

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.depth -= 1
            raise ParseError("nesting")
        try:
            value = self.binary(0)
            if self.js and self.at("?"):
                self.i += 1
                yes = self.expr()
                self.eat(":")
                no = self.expr()
                value = NAry(("?",), (value, yes, no), value_line(value))
            return value
        finally:
            self.depth -= 1

    def binary(self, min_level: int) -> Expr:
        """Precedence climbing: one n-ary node per run of operators of one level."""
        left = self.unary()
        levels = self.levels
        while True:
            level = self.op_level()
            if level is None or level < min_level:
                return left
            ops: list[str] = []
            items = [left]
            while self.op_level() == level:
                tok = self.t[self.i]
                ops.append(tok.text.lower() if tok.kind == "id" else tok.text)
                self.i += 1
                while self.js and self.i < len(self.t) and self.t[self.i].kind == "nl":
                    self.i += 1
                items.append(self.binary(level + 1) if level + 1 < levels else self.unary())
            left = NAry(tuple(ops), tuple(items), value_line(left))

    def op_level(self) -> int | None:
        if self.i >= len(self.t):
            return None
        tok = self.t[self.i]
        if tok.kind == "op":
            return self.op_levels.get(tok.text)
        if tok.kind == "id":
            return self.op_levels.get(tok.text.lower())
        return None

    def unary(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise ParseError("end of input")
        text = tok.text.lower() if tok.kind == "id" else tok.text
        if tok.kind in ("op", "id") and text in ("-", "+", "not", "!", "~", "typeof", "void"):
            self.i += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.depth -= 1
                raise ParseError("nesting")
            try:
                return Unary(text, self.unary(), tok.line)
            finally:
                self.depth -= 1
        if tok.kind == "id" and text == "new":
            self.i += 1
            target = self.primary()
            while self.at(".") and self.peek(1) is not None and self.t[self.i + 1].kind == "id":
                target = Member(target, self.t[self.i + 1].text.lower(), self.t[self.i + 1].line)
                self.i += 2
            if self.at("("):  # `new X(args)` binds tighter than the member accesses after it
                self.i += 1
                args: list[Expr | None] = []
                if not self.eat(")"):
                    args = self.arglist()
                    if not self.eat(")"):
                        raise ParseError("unclosed call")
                target = Call(target, tuple(args), tok.line)
            return self.postfix_tail(New(target, tok.line))
        return self.postfix()

    def postfix(self) -> Expr:
        return self.postfix_tail(self.primary())

    def postfix_tail(self, node: Expr) -> Expr:
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "op":
                return node
            if tok.text == ".":
                self.i += 1
                name = self.peek()
                if name is None or name.kind != "id":
                    raise ParseError("member name")
                self.i += 1
                node = Member(node, name.text.lower(), name.line)
            elif tok.text == "(":
                self.i += 1
                args: list[Expr | None] = []
                if not self.eat(")"):
                    args = self.arglist()
                    if not self.eat(")"):
                        raise ParseError("unclosed call")
                node = Call(node, tuple(args), tok.line)
            elif tok.text == "[" and self.js:
                self.i += 1
                key = self.expr()
                if not self.eat("]"):
                    raise ParseError("unclosed index")
                node = Index(node, key, tok.line)
            else:
                return node

    def primary(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise ParseError("end of input")
        line = tok.line
        if tok.kind == "str":
            self.i += 1
            return Str(tok.text, line)
        if tok.kind == "num":
            self.i += 1
            return Num(tok.text, line)
        if tok.kind == "id":
            if self.js and tok.text == "function":
                self.i += 1
                if self.peek() is not None and self.t[self.i].kind == "id":
                    self.i += 1
                self.anon += 1
                name = f"__fn{self.anon}"
                fdef = self.js_function(name, line, skip_name=False)
                self.pending.append(fdef)
                return FuncRef(name, line)
            self.i += 1
            return Name(tok.text.lower(), line, tok.text)
        if tok.text == "(":
            self.i += 1
            inner = self.expr()
            while self.js and self.eat(","):
                inner = self.expr()
            if not self.eat(")"):
                raise ParseError("unclosed parenthesis")
            return inner
        if tok.text == "." and not self.js:  # `.Method` inside With
            self.i += 1
            member = self.peek()
            if member is None or member.kind != "id":
                raise ParseError("member name")
            self.i += 1
            return Member(None, member.text.lower(), line)
        if self.js and tok.text == "{":
            return self.js_object(line)
        if self.js and tok.text == "[":
            self.i += 1
            items: list[Expr] = []
            while not self.at("]") and self.peek() is not None:
                items.append(self.expr())
                if not self.eat(","):
                    break
            if not self.eat("]"):
                raise ParseError("unclosed array")
            return Arr(tuple(items), line)
        raise ParseError(f"unexpected {tok.text!r}")

    def js_object(self, line: int) -> Expr:
        self.i += 1
        items: list[tuple[str, Expr]] = []
        while not self.at("}") and self.peek() is not None:
            while self.peek() is not None and self.t[self.i].kind == "nl":
                self.i += 1
            key = self.peek()
            if key is None or key.kind not in ("id", "str", "num"):
                raise ParseError("object key")
            self.i += 1
            if not self.eat(":"):
                raise ParseError("object colon")
            items.append((key.text.lower(), self.expr()))
            while self.peek() is not None and self.t[self.i].kind == "nl":
                self.i += 1
            if not self.eat(","):
                break
            while self.peek() is not None and self.t[self.i].kind == "nl":
                self.i += 1
        if not self.eat("}"):
            raise ParseError("unclosed object")
        return Dict(tuple(items), line)


def value_line(node: Expr) -> int:
    return node.line


def parse(toks: list[Tok], lang: str) -> list[Stmt]:
    """Statements of one token list; JScript function expressions are hoisted to the top."""
    parser = Parser(toks, lang)
    body = parser.program()
    return [*parser.pending, *body]
