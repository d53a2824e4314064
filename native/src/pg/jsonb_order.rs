//! JSON text → the same JSON with every object's keys in the order jsonb keeps them (shorter keys
//! first, then by bytes; a repeated key keeps its last value), so a jsonb value written by COPY
//! reads back as `INSERT … RETURNING` would have returned it, spaced as jsonb prints it
//! (`{"a": 1, "b": [1, 2]}`). Numbers and strings keep their spelling (jsonb would print `1e2`
//! as `100`): the reader parses the text, so the values are the same. `None` for text that is not JSON, or keys
//! with escapes (whose order would need them decoded): the caller falls back to INSERT.

pub fn jsonb_order(text: &str) -> Option<String> {
    let mut parser = Parser {
        s: text.as_bytes(),
        at: 0,
    };
    let mut out = String::with_capacity(text.len());
    parser.value(&mut out, 0)?;
    parser.space();
    (parser.at == parser.s.len()).then_some(out)
}

/// Nesting deeper than this is refused (the runtime refuses deeper JSON long before).
const MAX_DEPTH: usize = 512;

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn space(&mut self) {
        while matches!(self.s.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, out: &mut String, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match *self.s.get(self.at)? {
            b'{' => self.object(out, depth),
            b'[' => {
                self.at += 1;
                out.push('[');
                self.space();
                if self.s.get(self.at) == Some(&b']') {
                    self.at += 1;
                    out.push(']');
                    return Some(());
                }
                loop {
                    self.value(out, depth + 1)?;
                    self.space();
                    match *self.s.get(self.at)? {
                        b',' => out.push_str(", "),
                        b']' => {
                            out.push(']');
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                    self.at += 1;
                }
            }
            b'"' => {
                let raw = self.string()?;
                out.push_str(raw);
                Some(())
            }
            _ => {
                let start = self.at;
                while matches!(
                    self.s.get(self.at),
                    Some(b'-' | b'+' | b'.' | b'0'..=b'9' | b'e' | b'E' | b'a'..=b'z')
                ) {
                    self.at += 1;
                }
                let token = std::str::from_utf8(&self.s[start..self.at]).ok()?;
                let literal = matches!(token, "true" | "false" | "null");
                let number = !token.is_empty()
                    && token
                        .bytes()
                        .all(|b| matches!(b, b'-' | b'+' | b'.' | b'0'..=b'9' | b'e' | b'E'));
                if !(literal || number) {
                    return None;
                }
                out.push_str(token);
                Some(())
            }
        }
    }

    /// A string token with its quotes, as written.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.at;
        self.at += 1;
        loop {
            match *self.s.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return std::str::from_utf8(&self.s[start..self.at]).ok();
                }
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
    }

    fn object(&mut self, out: &mut String, depth: usize) -> Option<()> {
        self.at += 1;
        let mut members: Vec<(&'a str, String)> = Vec::new();
        self.space();
        if self.s.get(self.at) == Some(&b'}') {
            self.at += 1;
        } else {
            loop {
                self.space();
                if self.s.get(self.at) != Some(&b'"') {
                    return None;
                }
                let key = self.string()?;
                if key.contains('\\') {
                    return None;
                }
                self.space();
                if self.s.get(self.at) != Some(&b':') {
                    return None;
                }
                self.at += 1;
                let mut value = String::new();
                self.value(&mut value, depth + 1)?;
                // The last of a repeated key wins, as in jsonb.
                members.retain(|(k, _)| *k != key);
                members.push((key, value));
                self.space();
                match *self.s.get(self.at)? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        // Keys compare without their quotes: by length, then bytewise (jsonb's lengthCompare).
        members.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        out.push('{');
        for (i, (key, value)) in members.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(key);
            out.push_str(": ");
            out.push_str(value);
        }
        out.push('}');
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::jsonb_order;

    #[test]
    fn keys_come_out_as_jsonb_orders_them() {
        assert_eq!(
            jsonb_order(r#"{"bb":1,"a":[{"z":null,"y":true}],"aa":"x,y","b":-1.5e3}"#).unwrap(),
            r#"{"a": [{"y": true, "z": null}], "b": -1.5e3, "aa": "x,y", "bb": 1}"#
        );
        assert_eq!(jsonb_order(r#"{"a":1,"a":2}"#).unwrap(), r#"{"a": 2}"#);
        assert_eq!(jsonb_order(r#" [1,"}",{}] "#).unwrap(), r#"[1, "}", {}]"#);
        assert_eq!(jsonb_order(r#""é""#).unwrap(), r#""é""#);
        assert_eq!(
            jsonb_order(r#"{"é":1,"z":2}"#).unwrap(),
            r#"{"z": 2, "é": 1}"#
        );
    }

    #[test]
    fn refuses_what_it_cannot_order() {
        assert!(jsonb_order(r#"{"a\"b":1}"#).is_none());
        assert!(jsonb_order(r#"{"a":}"#).is_none());
        assert!(jsonb_order(r#"[1,2"#).is_none());
        assert!(jsonb_order("nope").is_none());
    }
}
