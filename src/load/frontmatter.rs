//! Load stage: finds the `---` fenced YAML block at the top of a Markdown file.

use crate::diagnostics::Pos;

#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line on which `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_line: usize,
}

/// Splits `text` into front matter and body. A UTF-8 byte order mark is
/// skipped; CRLF line endings are accepted (YAML itself accepts them).
///
/// Errors come as (position, message, help).
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (Pos, String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err((
            Pos::WHOLE_FILE,
            "this file is empty".into(),
            "start the file with a `---` line, then `title:`, `date:` and `country:` lines, then another `---` line"
                .into(),
        ));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err((
            Pos::new(1, 1),
            "missing front matter: the first line must be `---`".into(),
            "put the fields (title, date, country, ...) between two `---` lines at the top of the file".into(),
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        if is_fence(l) || l.trim_end() == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err((
        Pos::new(1, 1),
        "the front matter opened on line 1 is never closed".into(),
        "add a line with only `---` after the last field".into(),
    ))
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_bom_and_crlf() {
        let s = split_front_matter("\u{feff}---\r\ntitle: x\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split_front_matter("---\ntitle: x\n").unwrap_err();
        assert!(e.1.contains("never closed"));
    }
}
