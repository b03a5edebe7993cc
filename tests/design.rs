//! The design system: every class a template uses has a rule in the stylesheet.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A class as a template writes it: whole (`cart-line`) or, when Tera builds part of it,
/// the fixed part (`booth-` from `booth-{{ b.kind }}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Whole(String),
    Fragment(String),
}

/// Stands for the text a `{{ … }}` expression prints inside a class attribute.
const PRINTED: char = '\u{1}';

fn templates_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            templates_under(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            found.push(path);
        }
    }
}

/// Removes Tera comments (`{# … #}`).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The values of the `class="…"` attributes of a template, with `{% … %}` tags read as a
/// space (they print nothing) and `{{ … }}` expressions as `PRINTED`. Quotes inside a Tera
/// tag do not end the attribute.
fn class_attributes(template: &str) -> Vec<String> {
    let text = without_comments(template);
    let bytes = text.as_bytes();
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("class=\"") {
        let at = from + found;
        from = at + "class=\"".len();
        // An attribute of its own, not the end of another name (`data-class="`).
        if at > 0 && !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let mut value = String::new();
        let mut i = from;
        while i < text.len() {
            let rest = &text[i..];
            if rest.starts_with("{{") || rest.starts_with("{%") {
                let close = if rest.starts_with("{{") { "}}" } else { "%}" };
                let end = rest.find(close).map_or(text.len(), |e| i + e + 2);
                value.push(if close == "}}" { PRINTED } else { ' ' });
                i = end;
            } else if rest.starts_with('"') {
                break;
            } else {
                let c = rest.chars().next().expect("a character");
                value.push(c);
                i += c.len_utf8();
            }
        }
        from = i;
        values.push(value);
    }
    values
}

/// The classes in one attribute value: whole names, and the fixed parts of names that a
/// `{{ … }}` completes.
fn classes_of(value: &str) -> Vec<Class> {
    let mut classes = Vec::new();
    for token in value.split_whitespace() {
        if token.contains(PRINTED) {
            for part in token.split(PRINTED).filter(|p| !p.is_empty()) {
                classes.push(Class::Fragment(part.to_string()));
            }
        } else {
            classes.push(Class::Whole(token.to_string()));
        }
    }
    classes
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii()
}

/// Removes CSS comments, so a class named only in a comment has no rule.
fn css_without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Whether the stylesheet has a selector for the class: `.name` followed by a character
/// that cannot continue a name (so `.cart-line` is not found in `.cart-lines`).
fn has_class_selector(css: &str, name: &str) -> bool {
    let needle = format!(".{name}");
    css.match_indices(&needle).any(|(at, _)| {
        css[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_name_char(c))
    })
}

/// Whether the stylesheet has an attribute selector on `class` that names the fragment,
/// such as `[class*="booth-"]` or `[class^="booth-"]`.
fn has_attribute_selector(css: &str, fragment: &str) -> bool {
    css.match_indices("[class").any(|(at, _)| {
        let selector = &css[at..];
        let end = selector.find(']').unwrap_or(selector.len());
        let selector = &selector[..end];
        ["*=", "^=", "$=", "|="]
            .iter()
            .any(|op| selector.contains(op))
            && selector.contains(fragment)
    })
}

#[test]
fn every_class_a_template_uses_has_a_rule_in_the_stylesheet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let css_path = root.join("public/css/site.css");
    let css = css_without_comments(
        &fs::read_to_string(&css_path).unwrap_or_else(|e| panic!("{}: {e}", css_path.display())),
    );

    let mut templates = Vec::new();
    templates_under(&root.join("templates"), &mut templates);
    assert!(!templates.is_empty(), "no templates found");

    // Each class with the templates that use it.
    let mut uses: BTreeMap<Class, Vec<String>> = BTreeMap::new();
    for path in &templates {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        for value in class_attributes(&text) {
            for class in classes_of(&value) {
                let files = uses.entry(class).or_default();
                if !files.contains(&name) {
                    files.push(name.clone());
                }
            }
        }
    }
    // The scanner itself works: the layout's classes are found.
    for known in ["site-header", "header-bar", "logo"] {
        assert!(
            uses.contains_key(&Class::Whole(known.to_string())),
            "the template scan missed `{known}` in base.html: {:?}",
            uses.keys().collect::<Vec<_>>()
        );
    }

    let missing: Vec<String> = uses
        .iter()
        .filter(|(class, _)| match class {
            Class::Whole(name) => !has_class_selector(&css, name),
            Class::Fragment(part) => !has_attribute_selector(&css, part),
        })
        .map(|(class, files)| match class {
            Class::Whole(name) => format!(".{name} (used in {})", files.join(", ")),
            Class::Fragment(part) => format!(
                "a class built as `{part}{{{{ … }}}}` needs an attribute selector such as \
                 [class*=\"{part}\"] (used in {})",
                files.join(", ")
            ),
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} classes used by templates have no rule in public/css/site.css:\n  {}",
        missing.len(),
        uses.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_class_scanner_reads_tera_inside_attributes() {
    let values = class_attributes(
        "{# <p class=\"commented\"> #}<rect class=\"booth booth-{{ b.kind }}{% if b.taken %} booth-taken{% endif %}\">\
         <li{% if x == \"y\" %} class=\"done\"{% endif %}><a data-class=\"nope\" class=\"{{ a }}-end\">",
    );
    let classes: Vec<Class> = values.iter().flat_map(|v| classes_of(v)).collect();
    assert_eq!(
        classes,
        vec![
            Class::Whole("booth".into()),
            Class::Fragment("booth-".into()),
            Class::Whole("booth-taken".into()),
            Class::Whole("done".into()),
            Class::Fragment("-end".into()),
        ]
    );
    let css = ".cart-lines { } .booth-plan rect[class*=\"booth-\"] { }";
    assert!(!has_class_selector(css, "cart-line"));
    assert!(has_class_selector(css, "cart-lines"));
    assert!(has_attribute_selector(css, "booth-"));
    assert!(!has_attribute_selector(css, "-end"));
}
