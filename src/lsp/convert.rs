//! Conversions between clerk-guard's findings and LSP types: `file://` URIs ↔ paths, byte
//! offsets → UTF-16 positions, `Finding` → `Diagnostic`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::docs::rule_url;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;

/// The local path of a `file://` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` (empty authority) or `file://localhost/p`.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    #[cfg(windows)]
    {
        // `/C:/x` → `C:/x`.
        let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
        return Some(PathBuf::from(trimmed));
    }
    #[cfg(not(windows))]
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file://` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The UTF-16 range of a span in a file of the model (line 0 when unknown).
pub fn range_in(project: &Project, path: &str, span: Option<Span>) -> Range {
    let (Some(span), Some(file)) = (span, project.file(path)) else {
        return Range::default();
    };
    let text = file.text();
    let text: &str = &text;
    let (l0, c0) = file.source.lines().utf16_position(text, span.start);
    let (l1, c1) = file.source.lines().utf16_position(text, span.end);
    Range {
        start: Position {
            line: l0,
            character: c0,
        },
        end: Position {
            line: l1,
            character: c1,
        },
    }
}

/// A finding as an LSP diagnostic: `code` is the rule id, `codeDescription` its docs page,
/// related locations become `relatedInformation`.
pub fn diagnostic(project: &Project, root: &Path, f: &Finding) -> Diagnostic {
    let mut message = f.message.clone();
    if !f.help.is_empty() {
        message.push_str("\nhelp: ");
        message.push_str(&f.help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: path_to_uri(&root.join(&r.path))?,
                    range: range_in(project, &r.path, r.span),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: range_in(project, &f.path, f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: Uri::from_str(&rule_url(f.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("clerk-guard".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A fix as a workspace edit: `changes` when every file exists, else document changes that
/// create the missing ones (a new clerk-guard.toml) first.
#[allow(clippy::mutable_key_type)] // `WorkspaceEdit::changes` is keyed by `Uri`.
pub fn workspace_edit(
    cx: &crate::fix::FixCx,
    root: &Path,
    fix: &crate::fix::Fix,
) -> Option<lsp_types::WorkspaceEdit> {
    use lsp_types::{
        CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges,
        OptionalVersionedTextDocumentIdentifier, ResourceOp, TextDocumentEdit, TextEdit,
        WorkspaceEdit,
    };
    use std::collections::BTreeMap;
    let mut per_file: BTreeMap<&str, Vec<&crate::fix::Edit>> = BTreeMap::new();
    for e in &fix.edits {
        per_file.entry(e.path.as_str()).or_default().push(e);
    }
    let mut changes = std::collections::HashMap::new();
    let mut ops = Vec::new();
    let mut creates = false;
    for (path, edits) in per_file {
        let uri = path_to_uri(&root.join(path))?;
        let existing = cx.text(path);
        let text = existing.clone().unwrap_or_default();
        let lines = crate::source::LineIndex::new(&text);
        let pos = |off: usize| {
            let (line, character) = lines.utf16_position(&text, off.min(text.len()));
            Position { line, character }
        };
        let text_edits: Vec<TextEdit> = edits
            .iter()
            .map(|e| TextEdit {
                range: Range {
                    start: pos(e.start),
                    end: pos(e.end),
                },
                new_text: e.text.clone(),
            })
            .collect();
        if existing.is_none() {
            creates = true;
            ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
                CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                },
            )));
        }
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: None,
            },
            edits: text_edits
                .iter()
                .cloned()
                .map(lsp_types::OneOf::Left)
                .collect(),
        }));
        changes.insert(uri, text_edits);
    }
    Some(if creates {
        WorkspaceEdit {
            changes: None,
            document_changes: Some(DocumentChanges::Operations(ops)),
            change_annotations: None,
        }
    } else {
        WorkspaceEdit {
            changes: Some(changes),
            document_changes: None,
            change_annotations: None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/work/my app/é#1.tsx");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///work/my%20app/%C3%A9%231.tsx");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let vscode = Uri::from_str("file:///c%3A/x/a.ts").unwrap();
        assert!(uri_to_path(&vscode).is_some());
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&other), None);
    }

    #[test]
    fn findings_become_diagnostics_with_related_information() {
        use crate::config::Config;
        use crate::source::{FileKind, InputFile, Origin};
        let file = |rel: &str, text: &str| {
            crate::facts::extract(
                &InputFile {
                    rel: rel.to_string(),
                    abs: PathBuf::from("/app").join(rel),
                    kind: FileKind::classify(rel),
                    origin: Origin::default(),
                },
                text.to_string(),
            )
        };
        let project = Project::build(
            PathBuf::from("/app"),
            vec![
                file("app/api/route.ts", "export async function GET() {}\n"),
                file(
                    "middleware.ts",
                    "// ü\nexport const config = { matcher: [] }\n",
                ),
            ],
            Vec::new(),
            Config::default(),
        );
        let f = Finding::new("some-rule", Severity::Warning, "app/api/route.ts")
            .at(Span::new(22, 25))
            .message("GET is not protected")
            .help("call auth()")
            .related(
                "middleware.ts",
                Some(Span::new(14, 20)),
                "matcher excludes it",
            )
            .related("package.json", None, "no such file in the model");
        let d = diagnostic(&project, Path::new("/app"), &f);
        assert_eq!(d.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(d.code, Some(NumberOrString::String("some-rule".into())));
        assert_eq!(d.message, "GET is not protected\nhelp: call auth()");
        assert_eq!((d.range.start.line, d.range.start.character), (0, 22));
        let related = d.related_information.unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(
            related[0].location.uri.as_str(),
            "file:///app/middleware.ts"
        );
        // Line 1 is `// ü` plus its newline: 6 bytes, so byte 14 is column 8 of line 2.
        assert_eq!(
            (
                related[0].location.range.start.line,
                related[0].location.range.start.character
            ),
            (1, 8)
        );
        assert_eq!(related[1].location.range, Range::default());
    }
}
