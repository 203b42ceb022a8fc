//! The filter grammar of RFC 7644 §3.4.2.2 and the PATCH path grammar of
//! §3.5.2, by recursive descent, with size and nesting limits.

use super::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
use super::lexer::{Lexer, Subject, Tok, Token, QUOTE_LIMIT};
use crate::error::quote;
use crate::{Result, ScimError};

/// The longest filter or path accepted, in bytes.
pub const MAX_LENGTH: usize = 8192;

/// The deepest nesting of parentheses, `not (...)` and value filters accepted.
pub const MAX_DEPTH: usize = 64;

/// What may close the expression being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closer {
    /// The end of the input.
    End,
    /// `)`.
    Paren,
    /// `]`.
    Bracket,
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token<'a>>,
    depth: usize,
}

/// Parses a filter (RFC 7644 §3.4.2.2).
///
/// Operators, `and`, `or`, `not`, `pr`, `true`, `false` and `null` are read in
/// any case; `not` binds tighter than `and`, which binds tighter than `or`, and
/// both associate to the left.
///
/// # Errors
/// `invalidFilter`, naming the byte offset and the offending token, when the
/// filter is malformed, longer than [`MAX_LENGTH`] bytes or nested deeper than
/// [`MAX_DEPTH`] levels.
pub fn parse(input: &str) -> Result<Filter> {
    let mut parser = Parser::new(input, Subject::Filter)?;
    let filter = parser.or_expr(false)?;
    parser.close(Closer::End)?;
    Ok(filter)
}

/// Parses a PATCH `path` (RFC 7644 §3.5.2): `attrPath`, `valuePath` or
/// `valuePath "." subAttr`.
///
/// A bare extension schema URN such as
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` parses like
/// any qualified name, as `uri` = `urn:...:2.0` and `name` = `User`; the
/// caller tells it apart with [`PatchPath::schema_urn`].
///
/// # Errors
/// `invalidPath`, naming the byte offset and the offending token, when the
/// path is malformed, longer than [`MAX_LENGTH`] bytes or nested deeper than
/// [`MAX_DEPTH`] levels.
pub fn parse_path(input: &str) -> Result<PatchPath> {
    let mut parser = Parser::new(input, Subject::Path)?;
    let token = parser.next()?;
    let Tok::Word(word) = token.tok else {
        return Err(parser.unexpected(&token, "an attribute path"));
    };
    let AttrPath {
        uri,
        name,
        sub_attr,
    } = parser.attr_path(word, token.start)?;
    let mut path = PatchPath {
        uri,
        name,
        filter: None,
        sub_attr,
    };

    let token = parser.next()?;
    match token.tok {
        Tok::End => return Ok(path),
        Tok::LBracket if path.sub_attr.is_none() => {
            parser.descend(&token)?;
            path.filter = Some(parser.or_expr(true)?);
            parser.close(Closer::Bracket)?;
        }
        _ if path.sub_attr.is_none() => return Err(parser.unexpected(&token, "\"[\" or the end")),
        _ => return Err(parser.unexpected(&token, "the end")),
    }

    let token = parser.next()?;
    match token.tok {
        Tok::End => return Ok(path),
        Tok::Dot => {}
        _ => return Err(parser.unexpected(&token, "\".\" or the end")),
    }
    let token = parser.next()?;
    match token.tok {
        Tok::Word(word) if is_attr_name(word) => path.sub_attr = Some(word.to_owned()),
        _ => return Err(parser.unexpected(&token, "a sub-attribute name")),
    }
    let token = parser.next()?;
    match token.tok {
        Tok::End => Ok(path),
        _ => Err(parser.unexpected(&token, "the end")),
    }
}

impl PatchPath {
    /// The schema URN this path names when it is a bare schema URN rather
    /// than an attribute: `uri` and `name` joined by `:` when `is_schema`
    /// says that string is a schema the caller knows (RFC 7644 §3.5.2.1 lets
    /// an `add` target an extension by its URN).
    ///
    /// ```
    /// # use scim::filter::parse_path;
    /// # use scim::schema::{Registry, ENTERPRISE_USER_URN};
    /// let path = parse_path(ENTERPRISE_USER_URN).unwrap();
    /// let urn = path.schema_urn(|urn| Registry::shared().schema(urn).is_some());
    /// assert_eq!(urn.as_deref(), Some(ENTERPRISE_USER_URN));
    /// ```
    #[must_use]
    pub fn schema_urn(&self, is_schema: impl Fn(&str) -> bool) -> Option<String> {
        let uri = self.uri.as_deref()?;
        if self.filter.is_some() || self.sub_attr.is_some() {
            return None;
        }
        let urn = format!("{uri}:{}", self.name);
        is_schema(&urn).then_some(urn)
    }
}

/// `ATTRNAME` of RFC 7644 §3.10 (`ALPHA *(nameChar)`), plus a leading `$`
/// for `$ref` (RFC 7643 §2.4).
fn is_attr_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'$')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A comparison operator, in any case.
fn compare_op(word: &str) -> Option<CompareOp> {
    let op = match word.as_bytes() {
        [a, b] => [a.to_ascii_lowercase(), b.to_ascii_lowercase()],
        _ => return None,
    };
    Some(match &op {
        b"eq" => CompareOp::Eq,
        b"ne" => CompareOp::Ne,
        b"co" => CompareOp::Co,
        b"sw" => CompareOp::Sw,
        b"ew" => CompareOp::Ew,
        b"gt" => CompareOp::Gt,
        b"ge" => CompareOp::Ge,
        b"lt" => CompareOp::Lt,
        b"le" => CompareOp::Le,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, subject: Subject) -> Result<Self> {
        let lexer = Lexer::new(input, subject);
        if input.len() > MAX_LENGTH {
            return Err(lexer_error(
                subject,
                format!("{} is longer than {MAX_LENGTH} bytes", subject.noun()),
            ));
        }
        Ok(Self {
            lexer,
            peeked: None,
            depth: 0,
        })
    }

    fn next(&mut self) -> Result<Token<'a>> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Result<&Token<'a>> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn error(&self, detail: String) -> ScimError {
        lexer_error(self.lexer.subject(), detail)
    }

    /// `unexpected token "x" at byte N, expected ...`.
    fn unexpected(&self, token: &Token<'_>, expected: &str) -> ScimError {
        let noun = self.lexer.subject().noun();
        match token.tok {
            Tok::End => self.error(format!(
                "unexpected end of {noun} at byte {}, expected {expected}",
                token.start
            )),
            _ => self.error(format!(
                "unexpected token {} at byte {}, expected {expected}",
                quote(self.lexer.text(token), QUOTE_LIMIT),
                token.start
            )),
        }
    }

    /// Enters a nesting level opened by `token`.
    fn descend(&mut self, token: &Token<'_>) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "{} is nested deeper than {MAX_DEPTH} levels at byte {}",
                self.lexer.subject().noun(),
                token.start
            )));
        }
        Ok(())
    }

    /// Consumes the token that closes an expression, and leaves its level.
    fn close(&mut self, closer: Closer) -> Result<()> {
        let token = self.next()?;
        let expected = match (closer, &token.tok) {
            (Closer::End, Tok::End)
            | (Closer::Paren, Tok::RParen)
            | (Closer::Bracket, Tok::RBracket) => {
                self.depth = self.depth.saturating_sub(1);
                return Ok(());
            }
            (Closer::End, _) => "\"and\", \"or\" or the end",
            (Closer::Paren, _) => "\"and\", \"or\" or \")\"",
            (Closer::Bracket, _) => "\"and\", \"or\" or \"]\"",
        };
        Err(self.unexpected(&token, expected))
    }

    /// Whether the next token is the word `keyword`, in any case; consumes it if so.
    fn keyword(&mut self, keyword: &str) -> Result<bool> {
        let found = matches!(self.peek()?.tok, Tok::Word(w) if w.eq_ignore_ascii_case(keyword));
        if found {
            self.peeked = None;
        }
        Ok(found)
    }

    /// `FILTER *("or" FILTER)`; `in_value` inside a value filter, where
    /// value paths do not nest.
    fn or_expr(&mut self, in_value: bool) -> Result<Filter> {
        let mut left = self.and_expr(in_value)?;
        while self.keyword("or")? {
            let right = self.and_expr(in_value)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// `FILTER *("and" FILTER)`.
    fn and_expr(&mut self, in_value: bool) -> Result<Filter> {
        let mut left = self.term(in_value)?;
        while self.keyword("and")? {
            let right = self.term(in_value)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// `"not" "(" FILTER ")"`, `"(" FILTER ")"`, `attrExp` or `valuePath`.
    fn term(&mut self, in_value: bool) -> Result<Filter> {
        let token = self.next()?;
        match token.tok {
            Tok::LParen => self.group(&token, in_value),
            // `not` is the operator only before `(`; otherwise it names an attribute.
            Tok::Word(word)
                if word.eq_ignore_ascii_case("not") && self.peek()?.tok == Tok::LParen =>
            {
                let open = self.next()?;
                Ok(Filter::Not(Box::new(self.group(&open, in_value)?)))
            }
            Tok::Word(word) => self.attr_expr(word, token.start, in_value),
            _ => Err(self.unexpected(&token, "an attribute path, \"(\" or \"not\"")),
        }
    }

    /// The inside of `( ... )` once `(` is read.
    fn group(&mut self, open: &Token<'_>, in_value: bool) -> Result<Filter> {
        self.descend(open)?;
        let filter = self.or_expr(in_value)?;
        self.close(Closer::Paren)?;
        Ok(filter)
    }

    /// `attrPath "pr"`, `attrPath compareOp compValue` or `attrPath "[" valFilter "]"`.
    fn attr_expr(&mut self, word: &'a str, start: usize, in_value: bool) -> Result<Filter> {
        let path = self.attr_path(word, start)?;
        let token = self.next()?;
        match token.tok {
            Tok::Word(w) if w.eq_ignore_ascii_case("pr") => Ok(Filter::Present(path)),
            Tok::Word(w) => match compare_op(w) {
                Some(op) => Ok(Filter::Compare(path, op, self.comp_value()?)),
                None => Err(self.unexpected(&token, "a comparison operator")),
            },
            Tok::LBracket if !in_value && path.sub_attr.is_none() => {
                self.descend(&token)?;
                let filter = self.or_expr(true)?;
                self.close(Closer::Bracket)?;
                if matches!(self.peek()?.tok, Tok::Dot) {
                    let filter = self.value_path_comparison(filter)?;
                    return Ok(Filter::ValuePath(path, Box::new(filter)));
                }
                Ok(Filter::ValuePath(path, Box::new(filter)))
            }
            Tok::LBracket if in_value => Err(self.error(format!(
                "value filter at byte {} is nested in another value filter",
                token.start
            ))),
            _ => Err(self.unexpected(&token, "a comparison operator")),
        }
    }

    /// Tolerance: `emails[type eq "work"].value eq "x"`, a comparison on a
    /// sub-attribute after a value filter. RFC 7644 §3.4.2.2's grammar has no
    /// such form, but Entra ID sends it when its matching attribute is a
    /// filtered email. It means `emails[type eq "work" and value eq "x"]`,
    /// and is parsed into that.
    fn value_path_comparison(&mut self, inner: Filter) -> Result<Filter> {
        let dot = self.next()?;
        let token = self.next()?;
        let Tok::Word(sub) = token.tok else {
            return Err(self.unexpected(&token, "a sub-attribute name"));
        };
        if !is_attr_name(sub) {
            return Err(self.error(format!(
                "invalid attribute path {} at byte {}",
                quote(sub, QUOTE_LIMIT),
                dot.start
            )));
        }
        let path = AttrPath {
            uri: None,
            name: sub.to_owned(),
            sub_attr: None,
        };
        let token = self.next()?;
        let comparison = match token.tok {
            Tok::Word(w) if w.eq_ignore_ascii_case("pr") => Filter::Present(path),
            Tok::Word(w) => match compare_op(w) {
                Some(op) => Filter::Compare(path, op, self.comp_value()?),
                None => return Err(self.unexpected(&token, "a comparison operator")),
            },
            _ => return Err(self.unexpected(&token, "a comparison operator")),
        };
        Ok(Filter::And(Box::new(inner), Box::new(comparison)))
    }

    /// `compValue`: a JSON string, number, `true`, `false` or `null`.
    fn comp_value(&mut self) -> Result<CompValue> {
        let token = self.next()?;
        match token.tok {
            Tok::Str(s) => Ok(CompValue::String(s)),
            Tok::Num(n) => Ok(CompValue::Number(n)),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Ok(CompValue::Bool(true)),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Ok(CompValue::Bool(false)),
            Tok::Word(w) if w.eq_ignore_ascii_case("null") => Ok(CompValue::Null),
            _ => Err(self.unexpected(&token, "a string, number, true, false or null")),
        }
    }

    /// `[URI ":"] ATTRNAME ["." subAttr]`: the URN is everything before the
    /// last `:` (RFC 7644 §3.10).
    fn attr_path(&self, word: &str, start: usize) -> Result<AttrPath> {
        let (uri, rest) = match word.rsplit_once(':') {
            Some((uri, rest)) => (Some(uri), rest),
            None => (None, word),
        };
        let (name, sub_attr) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some(sub)),
            None => (rest, None),
        };
        let valid = uri.is_none_or(|u| {
            u.starts_with(|c: char| c.is_ascii_alphabetic())
                && !u.ends_with(':')
                && !u.contains("::")
        }) && is_attr_name(name)
            && sub_attr.is_none_or(is_attr_name);
        if !valid {
            return Err(self.error(format!(
                "invalid attribute path {} at byte {start}",
                quote(word, QUOTE_LIMIT)
            )));
        }
        Ok(AttrPath {
            uri: uri.map(str::to_owned),
            name: name.to_owned(),
            sub_attr: sub_attr.map(str::to_owned),
        })
    }
}

fn lexer_error(subject: Subject, detail: String) -> ScimError {
    match subject {
        Subject::Filter => ScimError::invalid_filter(detail),
        Subject::Path => ScimError::invalid_path(detail),
    }
}
