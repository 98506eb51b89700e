//! Just enough of JSON, and of Python's printed literals (single quotes, `True`, `None`), to
//! read the `{"url": …, "fields": {…}}` the SDKs return, keeping the order of the fields.
//! Never panics.

/// A value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    Text(String),
    /// A number, kept as written.
    Number(String),
    /// `true`/`True`, `false`/`False`.
    Bool(bool),
    /// `null`/`None`.
    Null,
    /// A list.
    List(Vec<Value>),
    /// An object, its entries in the order written.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The entry `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as text: a string, or a number or boolean as written.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Text(text) | Value::Number(text) => Some(text.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Reads one value from `text` (surrounding whitespace allowed, nothing else after it).
pub fn parse(text: &str) -> Option<Value> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    (reader.at == reader.chars.len()).then_some(value)
}

/// Deeper than this is no form.
const MAX_DEPTH: usize = 32;

struct Reader {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_space();
        match self.peek()? {
            '{' => self.object(),
            '[' | '(' => self.list(),
            '"' | '\'' => self.string().map(Value::Text),
            c if c == '-' || c.is_ascii_digit() => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(c))
                {
                    self.at += 1;
                }
                Some(Value::Number(self.chars[start..self.at].iter().collect()))
            }
            _ => {
                let start = self.at;
                while self.peek().is_some_and(char::is_alphabetic) {
                    self.at += 1;
                }
                let word: String = self.chars[start..self.at].iter().collect();
                match word.as_str() {
                    "true" | "True" => Some(Value::Bool(true)),
                    "false" | "False" => Some(Value::Bool(false)),
                    "null" | "None" => Some(Value::Null),
                    _ => None,
                }
            }
        }
    }

    fn nested(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn object(&mut self) -> Option<Value> {
        self.nested()?;
        self.at += 1;
        let mut entries = Vec::new();
        loop {
            if self.eat('}') {
                break;
            }
            self.skip_space();
            let key = self.string()?;
            if !self.eat(':') {
                return None;
            }
            entries.push((key, self.value()?));
            if self.eat(',') {
                continue;
            }
            if self.eat('}') {
                break;
            }
            return None;
        }
        self.depth -= 1;
        Some(Value::Object(entries))
    }

    fn list(&mut self) -> Option<Value> {
        self.nested()?;
        let close = if self.peek() == Some('(') { ')' } else { ']' };
        self.at += 1;
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                break;
            }
            items.push(self.value()?);
            if self.eat(',') {
                continue;
            }
            if self.eat(close) {
                break;
            }
            return None;
        }
        self.depth -= 1;
        Some(Value::List(items))
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.peek().filter(|q| *q == '"' || *q == '\'')?;
        self.at += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                c if c == quote => return Some(out),
                '\\' => {
                    let escaped = self.peek()?;
                    self.at += 1;
                    match escaped {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex: String =
                                self.chars.get(self.at..self.at + 4)?.iter().collect();
                            self.at += 4;
                            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_python_literals_read_alike_and_keep_their_order() {
        let json = r#"{"url": "https://b.s3.amazonaws.com/", "fields": {"key": "uploads/${filename}", "x-amz-algorithm": "AWS4-HMAC-SHA256", "policy": "eyJ9"}}"#;
        let python = r#"{'url': 'https://b.s3.amazonaws.com/', 'fields': {'key': 'uploads/${filename}', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'policy': 'eyJ9'}}"#;
        let a = parse(json).unwrap();
        assert_eq!(a, parse(python).unwrap());
        let Some(Value::Object(fields)) = a.get("fields") else {
            panic!()
        };
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["key", "x-amz-algorithm", "policy"]);
        assert_eq!(
            parse(r#"{"a": [1, -2.5, true, None, "x\"y\u00e9"]}"#).unwrap(),
            Value::Object(vec![(
                "a".into(),
                Value::List(vec![
                    Value::Number("1".into()),
                    Value::Number("-2.5".into()),
                    Value::Bool(true),
                    Value::Null,
                    Value::Text("x\"yé".into()),
                ])
            )])
        );
    }

    #[test]
    fn broken_text_is_no_value() {
        for text in [
            "", "{", "{'a' 1}", "{'a': }", "[1,", "'open", "{} x", "nope",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        assert_eq!(parse(&"[".repeat(1000)), None);
    }
}
