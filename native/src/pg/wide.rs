//! Statements with more parameters than tokio-postgres can bind. The protocol allows 65 535
//! (and the runtime fills bulk INSERTs up to that), but postgres-protocol 0.6 counts Bind values
//! in an i16, so past 32 767 it refuses the statement. Such a statement is rewritten to bind its
//! values in groups: `$k` becomes `(($g::text[])[i])::"schema"."type"`, each group one text
//! array of at most `GROUP` values (short, so subscripting stays cheap). Every value crosses in
//! text form and the server parses it with its type's input function, as for any text-format
//! parameter (binder.rs) — the same values, still bound, never interpolated.

use tokio_postgres::types::Type;

use super::binder::text_form;
use crate::value::Value;

/// The most parameters one Bind message can carry here.
pub const MAX_BIND: usize = i16::MAX as usize;
/// Values per text array.
const GROUP: usize = 256;

/// The rewritten SQL and its grouped parameters, for `types` (the original statement's
/// parameter types); `None` if a placeholder names a parameter that does not exist.
pub fn regroup(sql: &str, types: &[Type], params: &[Value]) -> Option<(String, Vec<Value>)> {
    let mut out = String::with_capacity(sql.len() + types.len() * 48);
    let mut last = 0;
    for (start, end, n) in placeholders(sql) {
        let ty = types.get(n.checked_sub(1)?)?;
        let (group, index) = ((n - 1) / GROUP + 1, (n - 1) % GROUP + 1);
        out.push_str(&sql[last..start]);
        out.push_str(&format!(
            "((${group}::text[])[{index}])::{}.{}",
            quote_ident(ty.schema()),
            quote_ident(ty.name())
        ));
        last = end;
    }
    out.push_str(&sql[last..]);
    let groups = params
        .chunks(GROUP)
        .map(|chunk| {
            Value::Array(
                chunk
                    .iter()
                    .map(|v| match v {
                        Value::Null => Value::Null,
                        other => Value::Text(text_form(other)),
                    })
                    .collect(),
            )
        })
        .collect();
    Some((out, groups))
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `(start, end, n)` of every `$n` outside string literals, quoted identifiers, comments and
/// dollar-quoted bodies.
fn placeholders(sql: &str) -> Vec<(usize, usize, usize)> {
    let b = sql.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let escapes = i > 0 && (b[i - 1] == b'E' || b[i - 1] == b'e');
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' => {
                let ident_before = i > 0
                    && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$');
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits > 0 && !ident_before {
                    let n = sql[i + 1..i + 1 + digits].parse().unwrap_or(0);
                    found.push((i, i + 1 + digits, n));
                    i += 1 + digits;
                } else if !ident_before {
                    // A dollar quote: $tag$ … $tag$.
                    let tag_len = b[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                        .count();
                    if b.get(i + 1 + tag_len) == Some(&b'$') {
                        let tag = &sql[i..i + tag_len + 2];
                        let body = i + tag_len + 2;
                        i = sql[body..]
                            .find(tag)
                            .map(|at| body + at + tag.len())
                            .unwrap_or(b.len());
                    } else {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_outside_quotes_and_comments() {
        let sql =
            "SELECT $1, '$2', \"$3\", E'\\'$4', $$ $5 $$, $x$ $6 $x$ -- $7\n, /* $8 */ a$9, $10";
        let found: Vec<usize> = placeholders(sql).iter().map(|p| p.2).collect();
        assert_eq!(found, vec![1, 10]);
    }

    #[test]
    fn regroups_values_into_text_arrays() {
        let types = vec![Type::INT4; 300];
        let params: Vec<Value> = (0..300).map(|i| Value::Number(i as f64)).collect();
        let sql = (1..=300)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",");
        let (rewritten, groups) = regroup(&sql, &types, &params).unwrap();
        assert!(rewritten.starts_with("(($1::text[])[1])::\"pg_catalog\".\"int4\","));
        assert!(rewritten.ends_with("(($2::text[])[44])::\"pg_catalog\".\"int4\""));
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[1],
            Value::Array((256..300).map(|i| Value::Text(i.to_string())).collect())
        );
        assert!(regroup("SELECT $301", &types, &params).is_none());
    }
}
