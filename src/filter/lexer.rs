//! Tokens of the filter grammar (RFC 7644 §3.4.2.2): words borrowed from the
//! input, JSON strings and numbers, brackets; each with its byte offset.

use crate::error::quote;
use serde_json::Number;

/// What kind of text is being read, so errors can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A `filter` query parameter or body member: errors are `invalidFilter`.
    Filter,
    /// A PATCH `path`: errors are `invalidPath`.
    Path,
}

impl Subject {
    /// The word used in error messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Self::Filter => "filter",
            Self::Path => "path",
        }
    }
}

/// One token. Words (attribute paths and keywords) borrow the input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// A run of name characters: an attribute path, an operator or a keyword.
    Word(&'a str),
    /// A JSON string, unescaped.
    Str(String),
    /// A JSON number.
    Num(Number),
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `[`.
    LBracket,
    /// `]`.
    RBracket,
    /// `.`, as between `]` and a sub-attribute in a PATCH path.
    Dot,
    /// The end of the input.
    End,
}

/// A token with the byte range it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    /// The token.
    pub(crate) tok: Tok<'a>,
    /// Byte offset of its first character.
    pub(crate) start: usize,
    /// Byte offset just past its last character.
    pub(crate) end: usize,
}

/// Longest token text quoted in an error message.
pub(super) const QUOTE_LIMIT: usize = 32;

/// Reads tokens one at a time from a filter or path.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    subject: Subject,
}

/// Characters of attribute paths: `ATTRNAME` (RFC 7644 §3.10) plus the URN
/// characters `:` and `.`, and `$` for `$ref`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.' | b'$')
}

/// Characters that may appear in a JSON number; the number is checked whole.
fn is_number_byte(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `input`.
    pub(crate) fn new(input: &'a str, subject: Subject) -> Self {
        Self {
            input,
            pos: 0,
            subject,
        }
    }

    /// What the text is.
    pub(crate) fn subject(&self) -> Subject {
        self.subject
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.input.as_bytes().get(at).copied()
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.input.get(start..end).unwrap_or_default()
    }

    fn error(&self, detail: String) -> crate::ScimError {
        match self.subject {
            Subject::Filter => crate::ScimError::invalid_filter(detail),
            Subject::Path => crate::ScimError::invalid_path(detail),
        }
    }

    /// The next token.
    pub(crate) fn next_token(&mut self) -> crate::Result<Token<'a>> {
        while matches!(self.byte(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(first) = self.byte(start) else {
            return Ok(Token {
                tok: Tok::End,
                start,
                end: start,
            });
        };
        let tok = match first {
            b'(' => self.single(Tok::LParen),
            b')' => self.single(Tok::RParen),
            b'[' => self.single(Tok::LBracket),
            b']' => self.single(Tok::RBracket),
            b'.' => self.single(Tok::Dot),
            b'"' => Tok::Str(self.string()?),
            b'-' | b'0'..=b'9' => Tok::Num(self.number()?),
            b if b.is_ascii_alphabetic() || b == b'$' || b == b'_' => {
                while self.byte(self.pos).is_some_and(is_word_byte) {
                    self.pos += 1;
                }
                Tok::Word(self.slice(start, self.pos))
            }
            _ => {
                let ch = self
                    .input
                    .get(start..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(self.error(format!(
                    "unexpected character {} at byte {start}",
                    quote(ch.encode_utf8(&mut [0; 4]), QUOTE_LIMIT)
                )));
            }
        };
        Ok(Token {
            tok,
            start,
            end: self.pos,
        })
    }

    fn single(&mut self, tok: Tok<'a>) -> Tok<'a> {
        self.pos += 1;
        tok
    }

    /// A JSON number (RFC 8259 §6), checked by `serde_json`.
    fn number(&mut self) -> crate::Result<Number> {
        let start = self.pos;
        while self.byte(self.pos).is_some_and(is_number_byte) {
            self.pos += 1;
        }
        let text = self.slice(start, self.pos);
        serde_json::from_str::<Number>(text).map_err(|_| {
            self.error(format!(
                "invalid number {} at byte {start}",
                quote(text, QUOTE_LIMIT)
            ))
        })
    }

    /// A JSON string (RFC 8259 §7), unescaped. The opening quote is at `self.pos`.
    fn string(&mut self) -> crate::Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Option<String> = None;
        let mut run = self.pos;
        loop {
            let Some(b) = self.byte(self.pos) else {
                return Err(self.error(format!("unterminated string at byte {start}")));
            };
            match b {
                b'"' => {
                    let tail = self.slice(run, self.pos);
                    self.pos += 1;
                    return Ok(match out {
                        Some(mut s) => {
                            s.push_str(tail);
                            s
                        }
                        None => tail.to_owned(),
                    });
                }
                b'\\' => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(self.slice(run, self.pos));
                    s.push(self.escape()?);
                    run = self.pos;
                }
                0..=0x1f => {
                    return Err(
                        self.error(format!("control character in string at byte {}", self.pos))
                    );
                }
                _ => self.pos += 1,
            }
        }
    }

    /// One escape sequence; `self.pos` is at the backslash.
    fn escape(&mut self) -> crate::Result<char> {
        let at = self.pos;
        let ch = match self.byte(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => {
                let end = self.char_end(at + 1);
                return Err(self.error(format!(
                    "invalid escape {} at byte {at}",
                    quote(self.slice(at, end), QUOTE_LIMIT)
                )));
            }
        };
        self.pos = at + 2;
        Ok(ch)
    }

    /// `\uHHHH`, with a following `\uHHHH` when the first is a high surrogate.
    fn unicode_escape(&mut self) -> crate::Result<char> {
        let at = self.pos;
        let high = self.hex4(at)?;
        let code = match high {
            0xD800..=0xDBFF => {
                let low = if self.slice(at + 6, at + 8) == "\\u" {
                    Some(self.hex4(at + 6)?)
                } else {
                    None
                };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        self.pos = at + 12;
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    Some(_) => return Err(self.bad_unicode(at, at + 12)),
                    None => return Err(self.bad_unicode(at, at + 6)),
                }
            }
            0xDC00..=0xDFFF => return Err(self.bad_unicode(at, at + 6)),
            _ => {
                self.pos = at + 6;
                high
            }
        };
        char::from_u32(code).ok_or_else(|| self.bad_unicode(at, self.pos))
    }

    /// The four hex digits after the `\u` at `at`.
    fn hex4(&self, at: usize) -> crate::Result<u32> {
        let digits = self
            .input
            .get(at + 2..at + 6)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        if let Some(code) = digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            return Ok(code);
        }
        let mut end = at + 2;
        while end < at + 6 && self.byte(end).is_some_and(|b| b.is_ascii_hexdigit()) {
            end += 1;
        }
        Err(self.bad_unicode(at, end))
    }

    fn bad_unicode(&self, at: usize, end: usize) -> crate::ScimError {
        let end = end.min(self.input.len());
        self.error(format!(
            "invalid unicode escape {} at byte {at}",
            quote(self.slice(at, end), QUOTE_LIMIT)
        ))
    }

    /// The end of the character starting at `at` (or `at` at the end of input).
    fn char_end(&self, at: usize) -> usize {
        self.input
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(at, |c| at + c.len_utf8())
    }

    /// The source text of a token, for error messages.
    pub(crate) fn text(&self, token: &Token<'_>) -> &'a str {
        self.slice(token.start, token.end)
    }
}
