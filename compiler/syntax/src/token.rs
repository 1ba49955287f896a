//! The token set, recognised by a `logos` lexer; the parser and formatter see these.

use logos::Logos;

#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(skip r"[ \t\r\f]+")]
pub enum Tok {
    // Trivia: collected by the lexer facade, never given to the grammar.
    #[regex(r"///[^\n]*", allow_greedy = true, callback = |lex| lex.slice()[3..].to_string())]
    DocComment(String),
    #[regex(r"//([^/\n][^\n]*)?", allow_greedy = true, callback = |lex| lex.slice()[2..].to_string())]
    #[regex(r"////[^\n]*", allow_greedy = true, callback = |lex| lex.slice()[2..].to_string())]
    Comment(String),
    #[token("\n")]
    Newline,

    // Keywords.
    #[token("use")]
    Use,
    #[token("fn")]
    Fn,
    #[token("derivative")]
    Derivative,
    #[token("model")]
    Model,
    #[token("struct")]
    Struct,
    #[token("param")]
    Param,
    #[token("let")]
    Let,
    #[token("var")]
    Var,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("for")]
    For,
    #[token("in")]
    In,
    #[token("while")]
    While,
    #[token("return")]
    Return,
    #[token("break")]
    Break,
    #[token("continue")]
    Continue,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("and")]
    And,
    #[token("or")]
    Or,
    #[token("not")]
    Not,
    #[token("self")]
    SelfKw,

    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Ident(String),
    /// Integer literal text (digits, `_` separators allowed); parsed by the facade.
    #[regex(r"[0-9][0-9_]*", |lex| lex.slice().to_string())]
    Int(String),
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?", |lex| lex.slice().to_string())]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9]+", |lex| lex.slice().to_string())]
    Float(String),
    /// A whole string literal, quotes included; split into parts by the lexer facade.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#, |lex| lex.slice().to_string())]
    Str(String),
    /// A string that reaches the end of the line without its closing quote.
    #[regex(r#""([^"\\\n]|\\[^\n])*"#, |lex| lex.slice().to_string())]
    UnterminatedStr(String),

    // String pieces made by the facade from a `Str` with `{expr}` parts.
    StrFull(String),
    StrHead(String),
    StrMid(String),
    StrTail(String),

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("...")]
    Ellipsis,
    #[token("->")]
    Arrow,
    #[token("=")]
    Eq,
    #[token("+=")]
    PlusEq,
    #[token("-=")]
    MinusEq,
    #[token("*=")]
    StarEq,
    #[token("/=")]
    SlashEq,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("**")]
    StarStar,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("@")]
    At,
    #[token("_", priority = 3)]
    Underscore,

    /// Produced by the facade for characters that start no token.
    Error,
}

impl Tok {
    /// How the token is written, for "expected one of" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier `{s}`"),
            Tok::Int(s) | Tok::Float(s) => format!("number `{s}`"),
            Tok::Str(_) | Tok::StrFull(_) | Tok::StrHead(_) | Tok::UnterminatedStr(_) => "string literal".into(),
            Tok::StrMid(_) | Tok::StrTail(_) => "string literal".into(),
            Tok::Newline => "end of line".into(),
            Tok::DocComment(_) | Tok::Comment(_) => "comment".into(),
            Tok::Error => "invalid character".into(),
            other => format!("`{}`", other.text()),
        }
    }

    /// Source text of fixed tokens.
    pub fn text(&self) -> &'static str {
        use Tok::*;
        match self {
            Use => "use",
            Fn => "fn",
            Derivative => "derivative",
            Model => "model",
            Struct => "struct",
            Param => "param",
            Let => "let",
            Var => "var",
            If => "if",
            Else => "else",
            For => "for",
            In => "in",
            While => "while",
            Return => "return",
            Break => "break",
            Continue => "continue",
            True => "true",
            False => "false",
            And => "and",
            Or => "or",
            Not => "not",
            SelfKw => "self",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Colon => ":",
            Semi => ";",
            Dot => ".",
            DotDot => "..",
            Ellipsis => "...",
            Arrow => "->",
            Eq => "=",
            PlusEq => "+=",
            MinusEq => "-=",
            StarEq => "*=",
            SlashEq => "/=",
            EqEq => "==",
            NotEq => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Plus => "+",
            Minus => "-",
            Star => "*",
            StarStar => "**",
            Slash => "/",
            Percent => "%",
            At => "@",
            Underscore => "_",
            _ => "",
        }
    }

    /// Tokens after which a line break does not end the statement.
    pub fn continues_line(&self) -> bool {
        use Tok::*;
        matches!(
            self,
            LParen
                | LBracket
                | LBrace
                | Comma
                | Colon
                | Dot
                | DotDot
                | Arrow
                | Eq
                | PlusEq
                | MinusEq
                | StarEq
                | SlashEq
                | EqEq
                | NotEq
                | Lt
                | Le
                | Gt
                | Ge
                | Plus
                | Minus
                | Star
                | StarStar
                | Slash
                | Percent
                | At
                | And
                | Or
                | Not
                | In
        )
    }
}
