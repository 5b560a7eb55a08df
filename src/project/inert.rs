//! Entries that verify nothing because they do nothing worth verifying, beyond the plain
//! reading of `routes::decide` (a handler that calls nothing but response builders):
//!
//! - **discarded**: it gives nothing back, and all it calls only reads (the session, a token,
//!   rows) or builds a client: nothing changes, and the caller receives nothing.
//! - **sign-out**: it answers with a redirect to a fixed URL (or an empty answer) and expires
//!   cookies, and all it calls only reads: it can only forget the caller's own cookies.
//! - **image**: it answers an `ImageResponse` and awaits nothing but files bundled with the app
//!   (fonts, images): an image of the request, like an Open Graph card.
//!
//! Every reading is decided on the calls each function records (`FnFacts::calls`) and its
//! text; a project function called is followed a few levels down.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::Project;
use crate::facts::code::{Binding, CodeFacts, FnFacts, blank_comments};
use crate::source::Text;

/// How many project functions down a call chain is followed.
const DEPTH: usize = 3;

/// Methods that only read: query builders and lookups (Prisma, Drizzle, Supabase, Kysely).
const READS: &[&str] = &[
    "findFirst",
    "findFirstOrThrow",
    "findUnique",
    "findUniqueOrThrow",
    "findMany",
    "count",
    "aggregate",
    "groupBy",
    "select",
    "selectFrom",
    "from",
    "where",
    "limit",
    "offset",
    "orderBy",
    "eq",
    "single",
    "maybeSingle",
];

/// Methods that open (or reuse) a connection to a database or a service: `mongoose.connect(uri)`,
/// `prisma.$connect()`, `client.connect()`. Connecting reads and changes no data.
const CONNECTS: &[&str] = &["connect", "$connect"];

/// The texts the readings of one entry look at: each file is read once (a file's text has
/// usually left memory by then, and reading it again costs a system call), each function's
/// body blanked of comments once.
pub struct Texts<'p> {
    project: &'p Project,
    files: RefCell<Vec<(String, Text)>>,
    bodies: RefCell<Vec<(String, usize, Rc<str>)>>,
}

impl<'p> Texts<'p> {
    pub fn new(project: &'p Project) -> Texts<'p> {
        Texts {
            project,
            files: RefCell::new(Vec::new()),
            bodies: RefCell::new(Vec::new()),
        }
    }

    /// A file's text (kept in memory from now on while the model is being updated: each
    /// update of the app reads it again).
    fn text(&self, rel: &str) -> Option<Text> {
        if let Some((_, t)) = self.files.borrow().iter().find(|(r, _)| r == rel) {
            return Some(Arc::clone(t));
        }
        let file = self.project.file(rel)?;
        if self.project.holds_read_texts {
            file.source.hold();
        }
        let text = file.text();
        self.files
            .borrow_mut()
            .push((rel.to_string(), Arc::clone(&text)));
        Some(text)
    }

    /// A function's text, comments blanked.
    fn body(&self, rel: &str, f: &FnFacts) -> Option<Rc<str>> {
        let found = self
            .bodies
            .borrow()
            .iter()
            .find(|(r, start, _)| *start == f.range.start && r == rel)
            .map(|(_, _, b)| Rc::clone(b));
        if found.is_some() {
            return found;
        }
        let text = self.text(rel)?;
        let body: Rc<str> = blank_comments(text.get(f.range.start..f.range.end)?).into();
        self.bodies
            .borrow_mut()
            .push((rel.to_string(), f.range.start, Rc::clone(&body)));
        Some(body)
    }
}

/// The project function a one-name callee names (`getUser` → its facts, and its file).
fn project_fn<'p>(
    project: &'p Project,
    rel: &str,
    code: &'p CodeFacts,
    name: &str,
) -> Option<(String, &'p FnFacts)> {
    let local = |rel: &str, code: &'p CodeFacts, name: &str| match code.bindings.get(name) {
        Some(Binding::Function { index }) => code.function(*index).map(|f| (rel.to_string(), f)),
        _ => None,
    };
    if code.bindings.contains_key(name) {
        return local(rel, code, name);
    }
    let (other, export) = project.resolve_binding(rel, name)?;
    let other_code = project.file(&other)?.code()?;
    local(&other, other_code, &export)
}

/// Whether a local name is imported from a package, not from a project module.
fn from_package(project: &Project, rel: &str, code: &CodeFacts, name: &str) -> bool {
    code.imports.get(name).is_some_and(|i| {
        let s = i.source.as_str();
        !s.starts_with(['.', '/', '~', '#', '@'])
            || s.starts_with('@') && !s.starts_with("@/") && !s.starts_with("@@/")
    }) && project.resolve_binding(rel, name).is_none()
}

/// A call on an object built in place (`new Stripe(key).charges.create(…)`): calls are
/// recorded by their callee path, and this one has none, so a body with one is not judged.
fn calls_on_new(body: &str) -> bool {
    word_at(body, "new").any(|i| {
        let rest = &body[i + 3..];
        let Some(open) = rest.find('(') else {
            return false;
        };
        let name = rest[..open].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            || matches!(name, "URL" | "URLSearchParams" | "Date" | "Headers")
        {
            return false;
        }
        call_args(&rest[open..])
            .is_some_and(|args| rest[open + args.len() + 2..].trim_start().starts_with('.'))
    })
}

/// Where a word occurs as a whole identifier (not `returnUrl`, not `x.return`).
fn word_at<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).filter_map(move |(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        (!before.is_some_and(|c| ident(c) || c == '.') && !after.is_some_and(ident)).then_some(i)
    })
}

/// Whether a word occurs as a whole identifier.
fn has_word(text: &str, word: &str) -> bool {
    word_at(text, word).next().is_some()
}

/// What each `return` of a body gives back: the text after the keyword, to the end of its
/// line or statement (empty for `return;`).
fn returned(body: &str) -> Vec<&str> {
    word_at(body, "return")
        .map(|i| {
            let rest = body[i + "return".len()..].trim_start_matches([' ', '\t']);
            let end = rest.find([';', '\n', '}']).unwrap_or(rest.len());
            rest[..end].trim()
        })
        .collect()
}

/// Whether a function's text is an arrow with an expression body (`async () => g()`,
/// `({ id }): Promise<Row> => find(id)`): it gives that expression back. The arrow is the first
/// `=>` outside parentheses, brackets and braces.
fn expression_arrow(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix("async").map(str::trim_start).unwrap_or(t);
    if t.starts_with("function") {
        return false;
    }
    let b = t.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if b.get(i + 1) == Some(&b'>') => {
                if depth == 0 {
                    return !t[i + 2..].trim_start().starts_with('{');
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether every `return` of a body gives nothing back (`return;`, `return }`), and the body
/// is not an arrow's expression.
fn returns_nothing(body: &str) -> bool {
    !expression_arrow(body) && returned(body).iter().all(|r| r.is_empty())
}

/// Whether a work call (index `k` of `f.calls`) changes nothing: it reads the caller's
/// session or token, reads rows, builds a client, or is a project function whose own calls
/// change nothing.
fn call_changes_nothing(
    texts: &Texts,
    rel: &str,
    code: &CodeFacts,
    f: &FnFacts,
    k: u32,
    depth: usize,
) -> bool {
    let Some((path, _)) = f.calls.get(k as usize) else {
        return false;
    };
    let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
    if last == "getToken" {
        return true;
    }
    if path.len() >= 2 {
        return READS.contains(&last) || CONNECTS.contains(&last);
    }
    // `createClient(url, key)`, `createServerClient(…)`: a client, built from a package.
    if last.starts_with("create")
        && last.ends_with("Client")
        && from_package(texts.project, rel, code, last)
    {
        return true;
    }
    if depth == 0 {
        return false;
    }
    project_fn(texts.project, rel, code, last)
        .is_some_and(|(other, g)| changes_nothing(texts, &other, g, depth - 1))
}

/// Whether every work call of a function changes nothing.
fn changes_nothing(texts: &Texts, rel: &str, f: &FnFacts, depth: usize) -> bool {
    let Some(code) = texts.project.file(rel).and_then(|x| x.code()) else {
        return false;
    };
    if texts.body(rel, f).is_none_or(|b| calls_on_new(&b)) {
        return false;
    }
    f.work_calls
        .iter()
        .all(|&k| call_changes_nothing(texts, rel, code, f, k, depth))
}

/// Calls that answer a request through a response object or builder (`res.json(rows)`,
/// `reply.send(…)`, `res.redirect(…)`, `Response.json(…)`).
const ANSWERS: &[&str] = &[
    "json",
    "send",
    "write",
    "end",
    "render",
    "sendFile",
    "pipe",
    "redirect",
    "permanentRedirect",
    "rewrite",
    "setHeader",
    "header",
    "cookie",
    "set",
    "append",
    "status",
    "code",
    "Response",
    "NextResponse",
    "data",
];

/// **discarded**: the entry gives nothing back (no `return` of a value, no answer through a
/// response object) and changes nothing.
pub fn discarded(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    if f.work_calls.is_empty() {
        return None;
    }
    let answers = f.calls.iter().any(|(path, _)| {
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        ANSWERS.contains(&last)
    });
    if answers {
        return None;
    }
    let body = texts.body(rel, f)?;
    (returns_nothing(&body) && changes_nothing(texts, rel, f, DEPTH)).then(|| {
        "gives nothing back, and all it calls only reads (the session, a token, rows) or builds a client: nothing changes".into()
    })
}

/// Whether a returned expression is the caller's own session state: Clerk's
/// `rootAuthLoader(args)` given only the loader's arguments, without a callback of the app's
/// (React Router, Remix), which answers the session for `<ClerkProvider>` and nothing else.
fn session_state(code: &CodeFacts, returned: &str) -> bool {
    let r = returned.trim().trim_end_matches(';').trim_end();
    let r = r.strip_prefix("await ").map(str::trim_start).unwrap_or(r);
    let Some(open) = r.find('(') else {
        return false;
    };
    let name = r[..open].trim();
    let clerk = code.imports.get(name).is_some_and(|i| {
        i.source.starts_with("@clerk/") && i.imported == "rootAuthLoader" && !i.type_only
    });
    clerk
        && call_args(&r[open..]).is_some_and(|args| {
            r[open + args.len() + 2..].trim().is_empty()
                && !args.trim().is_empty()
                && args
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
}

/// **session state**: the entry gives back only the caller's own session state (Clerk's
/// `rootAuthLoader(args)` without a callback) or nothing, and all it calls only reads or
/// connects (a database connection opened before the session is answered).
pub fn session_state_only(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    if f.work_calls.is_empty() {
        return None;
    }
    let code = texts.project.file(rel)?.code()?;
    let body = texts.body(rel, f)?;
    if expression_arrow(&body) {
        return None;
    }
    let returns = returned(&body);
    if !returns.iter().any(|r| session_state(code, r))
        || !returns
            .iter()
            .all(|r| r.is_empty() || session_state(code, r))
    {
        return None;
    }
    changes_nothing(texts, rel, f, DEPTH).then(|| {
        "it answers only the caller's own session state (`rootAuthLoader` without a callback), and all it calls only reads or connects: nothing changes".into()
    })
}

/// A cookie expired in a response: `expires=Thu, 01 Jan 1970 …`, `Max-Age=0`, `maxAge: 0`,
/// `res.clearCookie(…)`, `cookies().delete(…)`.
fn expires_cookie(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("expires=thu, 01 jan 1970")
        || lower.contains("max-age=0")
        || lower.replace(' ', "").contains("maxage:0")
        || lower.contains(".clearcookie(")
        || lower.contains("cookies().delete(")
        || lower.contains("cookies.delete(")
}

/// Whether a call's text is a redirect to a fixed place: `res.redirect('/')`,
/// `redirect('/sign-in')`, `NextResponse.redirect(new URL('/', req.url))`.
fn fixed_redirect(call: &str) -> bool {
    let Some(open) = call.find('(') else {
        return false;
    };
    let args = call[open + 1..].trim_start();
    let args = args
        .strip_prefix("new URL(")
        .map(str::trim_start)
        .unwrap_or(args);
    // An optional status first (`res.redirect(307, '/')`).
    let args = match args.split_once(',') {
        Some((status, rest)) if status.trim().bytes().all(|b| b.is_ascii_digit()) => {
            rest.trim_start()
        }
        _ => args,
    };
    let Some(q) = args
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))
    else {
        return false;
    };
    let Some(end) = args[1..].find(q) else {
        return false;
    };
    let lit = &args[1..1 + end];
    !lit.contains("${")
}

/// **sign-out**: the entry answers a fixed redirect (or nothing) and expires cookies, and all
/// it calls only reads.
pub fn sign_out(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    let body = texts.body(rel, f)?;
    if !expires_cookie(&body) {
        return None;
    }
    let text = texts.text(rel)?;
    for (path, span) in &f.calls {
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        match last {
            "redirect" | "permanentRedirect" => {
                let call = text.get(span.start..span.end)?;
                if !fixed_redirect(call) {
                    return None;
                }
            }
            // `res.end()` answers nothing; `res.end(data)` serves it.
            "end" => {
                let call = text.get(span.start..span.end)?;
                if call_args(call).is_none_or(|a| !a.trim().is_empty()) {
                    return None;
                }
            }
            // Anything that answers with a body serves something.
            "json" | "send" | "write" | "render" | "sendFile" | "pipe" | "Response" => {
                return None;
            }
            _ => {}
        }
    }
    // Its `return`s give back nothing or the redirect.
    if expression_arrow(&body)
        || !returned(&body)
            .iter()
            .all(|r| r.is_empty() || r.contains("redirect("))
    {
        return None;
    }
    changes_nothing(texts, rel, f, DEPTH).then(|| {
        "a sign-out: it expires cookies and redirects to a fixed page, and all it calls only reads".into()
    })
}

/// Arguments that name a file bundled with the app: string literals, `import.meta.url`,
/// `process.cwd()`, joined (`new URL('../fonts/x.ttf', import.meta.url)`,
/// `join(process.cwd(), 'public/x.png')`).
fn asset_args(args: &str) -> bool {
    // Drop the string literals (no substitutions).
    let mut rest = String::with_capacity(args.len());
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '\'' | '"' | '`') {
            let mut lit = String::new();
            for d in chars.by_ref() {
                if d == c {
                    break;
                }
                lit.push(d);
            }
            if lit.contains("${") {
                return false;
            }
            rest.push(' ');
            continue;
        }
        rest.push(c);
    }
    for allowed in [
        "import.meta.url",
        "process.cwd()",
        "new URL",
        "path.join",
        "path.resolve",
        "fileURLToPath",
        "join",
        "resolve",
    ] {
        rest = rest.replace(allowed, " ");
    }
    rest.chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
}

/// The text of a call's arguments (between its first `(` and the matching `)`).
fn call_args(call: &str) -> Option<&str> {
    let open = call.find('(')?;
    let mut depth = 0usize;
    for (i, c) in call[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&call[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a text starts with a call that loads a bundled file:
/// `fetch(new URL('./font.ttf', import.meta.url))`, `readFile(join(process.cwd(), 'x.png'))`.
fn asset_load(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('(');
    let Some(open) = t.find('(') else {
        return false;
    };
    let callee = t[..open].trim();
    let name = callee.rsplit('.').next().unwrap_or(callee);
    if !matches!(name, "fetch" | "readFile" | "readFileSync") {
        return false;
    }
    call_args(t).is_some_and(asset_args)
}

/// The function's own constants (`const fontPath = '../fonts/x.woff2'`): the name and the
/// value's text, to the statement's end.
fn local_consts(body: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for i in word_at(body, "const") {
        if out.len() >= 32 {
            break;
        }
        let rest = body[i + "const".len()..].trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let Some(value) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        if name.is_empty() || value.starts_with(['=', '>']) {
            continue;
        }
        let end = outside_strings(value)
            .find(|&(j, c, depth)| {
                depth == 0 && (c == ';' || c == '}' || (c == '\n' && !value[..j].trim().is_empty()))
            })
            .map_or(value.len(), |(j, _, _)| j);
        out.push((name, value[..end].trim()));
    }
    out
}

/// A text with the function's constants put in place of their names (a few rounds deep):
/// `fs.access(filePath)` → `fs.access(fileURLToPath(new URL('../x.woff2', import.meta.url)))`.
fn expand_consts(text: &str, consts: &[(&str, &str)]) -> String {
    let mut t = text.to_string();
    for _ in 0..4 {
        let mut changed = false;
        for (name, value) in consts {
            let at: Vec<usize> = word_at(&t, name).collect();
            for i in at.into_iter().rev() {
                if t.len() > 4096 {
                    return t;
                }
                t.replace_range(i..i + name.len(), &format!("({value})"));
                changed = true;
            }
        }
        if !changed || t.len() > 4096 {
            break;
        }
    }
    t
}

/// A dynamic import of a package (`import('next/font/local')`), not of a project module.
fn package_import(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('(').trim_start();
    let Some(spec) = t.strip_prefix("import(").map(str::trim_start) else {
        return false;
    };
    let Some(q) = spec.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
        return false;
    };
    let Some(end) = spec[1..].find(q) else {
        return false;
    };
    let name = &spec[1..1 + end];
    !name.is_empty()
        && !name.starts_with(['.', '/', '~', '#'])
        && !name.starts_with("@/")
        && !name.starts_with("@@/")
}

/// File-system calls that only check that a file is there (`fs.access(path)`, `existsSync`):
/// they read nothing of it.
const FILE_CHECKS: &[&str] = &["access", "accessSync", "stat", "statSync", "existsSync"];

/// Whether a call's text checks that a file bundled with the app is there, once the
/// function's constants are put in place of their names.
fn bundled_file_call(call: &str, consts: &[(&str, &str)]) -> bool {
    let t = call.trim_start();
    let Some(open) = t.find('(') else {
        return false;
    };
    let callee = t[..open].trim();
    let name = callee.rsplit('.').next().unwrap_or(callee);
    FILE_CHECKS.contains(&name)
        && call_args(t).is_some_and(|args| {
            let args = expand_consts(args, consts);
            // An absolute path names the server's disk, not the app.
            let absolute = ['\'', '"', '`']
                .iter()
                .any(|q| args.contains(&format!("{q}/")) || args.contains(&format!("{q}~")));
            !absolute && asset_args(&args)
        })
}

/// **bundled**: the entry takes no input, reads no secret, and answers from what ships with the
/// app: every `await` checks that a file bundled with it is there (`fs.access(path)`, the
/// path built from literals and `import.meta.url`, through the function's own constants) or
/// imports a package (`await import('next/font/local')`), and every call is such a check, a
/// package function, a function such an import gave, or a project function that only
/// computes. (A file's content is not read: a bundled data file may hold anything.)
pub fn bundled(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    if !f.param_names.is_empty() {
        return None;
    }
    let (code, body) = request_only_body(texts, rel, f)?;
    let consts = local_consts(&body);
    // Every `await` loads a bundled file or a package.
    let mut awaits = word_at(&body, "await").peekable();
    awaits.peek()?;
    for i in awaits {
        let after = &body[i + "await".len()..];
        if !(package_import(after) || bundled_file_call(after, &consts)) {
            return None;
        }
    }
    // Names bound to what a package import gave (`const localFont = (await
    // import('next/font/local')).default`).
    let from_imports: Vec<&str> = consts
        .iter()
        .filter(|(_, v)| {
            v.trim_start_matches('(')
                .trim_start()
                .strip_prefix("await")
                .is_some_and(package_import)
        })
        .map(|(n, _)| *n)
        .collect();
    let text = texts.text(rel)?;
    let calls_ok = f.work_calls.iter().all(|&k| {
        let Some((path, span)) = f.calls.get(k as usize) else {
            return false;
        };
        let call = text.get(span.start..span.end).unwrap_or("");
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        if FILE_CHECKS.contains(&last) {
            return bundled_file_call(call, &consts);
        }
        let [name] = path.as_slice() else {
            return false;
        };
        if name == "import" {
            return package_import(call);
        }
        from_imports.contains(&name.as_str())
            || from_package(texts.project, rel, code, name)
            || project_fn(texts.project, rel, code, name)
                .is_some_and(|(other, g)| computes_only(texts, &other, g, DEPTH - 1))
    });
    calls_ok.then(|| {
        "it takes no input and answers from what ships with the app: files bundled with it and package code, no data or secret".into()
    })
}

/// Checks of a value against a schema that run no code of the app's but the schema's own
/// synchronous refinements (`schema.parse(x)`, `schema.safeParse(x)`; the async forms may run
/// refinements that query).
const SCHEMA_CHECKS: &[&str] = &["parse", "safeParse"];

/// Whether a call (a callee path) checks a value against a schema: a method of that name on
/// some object.
fn is_schema_check(path: &[String]) -> bool {
    path.len() >= 2
        && path
            .last()
            .is_some_and(|l| SCHEMA_CHECKS.contains(&l.trim_end_matches("()")))
}

/// A project function that computes on what it is given: it awaits nothing, reads no secret,
/// and calls only package functions (`clsx`, `twMerge`), schema checks and functions like
/// itself.
fn computes_only(texts: &Texts, rel: &str, f: &FnFacts, depth: usize) -> bool {
    let Some(code) = texts.project.file(rel).and_then(|x| x.code()) else {
        return false;
    };
    let Some(body) = texts.body(rel, f) else {
        return false;
    };
    if has_word(&body, "await") || body.contains("process.env") {
        return false;
    }
    calls_only_compute(texts, rel, code, f, &f.work_calls, depth, true)
}

/// Whether every work call of `f` checks a value against a schema, is a project function
/// that only computes (followed `depth` deep), or, with `packages`, is a package function.
fn calls_only_compute(
    texts: &Texts,
    rel: &str,
    code: &CodeFacts,
    f: &FnFacts,
    work: &[u32],
    depth: usize,
    packages: bool,
) -> bool {
    work.iter().all(|&k| {
        let Some((path, _)) = f.calls.get(k as usize) else {
            return false;
        };
        if is_schema_check(path) {
            return true;
        }
        let [name] = path.as_slice() else {
            return false;
        };
        packages && from_package(texts.project, rel, code, name)
            || depth > 0
                && project_fn(texts.project, rel, code, name)
                    .is_some_and(|(other, g)| computes_only(texts, &other, g, depth - 1))
    })
}

/// The language's global conversions of a value: computation, not work.
const CONVERSIONS: &[&str] = &[
    "Number",
    "String",
    "Boolean",
    "parseInt",
    "parseFloat",
    "isNaN",
    "isFinite",
];

/// Methods that read a request's body.
const BODY_READS: &[&str] = &["json", "text", "formData"];

/// Whether `t` starts (past whitespace) with a read of the body of one of the function's
/// parameters: `request.formData()`, `req.json()`.
fn reads_request_body(f: &FnFacts, t: &str) -> bool {
    let t = t.trim_start();
    f.param_names.iter().any(|p| {
        t.strip_prefix(p.as_str())
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|r| {
                BODY_READS.iter().any(|m| {
                    r.strip_prefix(m)
                        .is_some_and(|rest| rest.trim_start().starts_with('('))
                })
            })
    })
}

/// The code facts of a function's file and its body (comments blanked), for the readings of
/// an entry that answers from its request, or from what ships with the app, alone: `None` when
/// it calls no work (the plain reading decides it), or builds an instance and calls it, or
/// reads a server-side secret.
fn request_only_body<'p>(
    texts: &Texts<'p>,
    rel: &str,
    f: &FnFacts,
) -> Option<(&'p CodeFacts, Rc<str>)> {
    if f.work_calls.is_empty() {
        return None;
    }
    let code = texts.project.file(rel)?.code()?;
    let body = texts.body(rel, f)?;
    (!builds_or_reads_secret(&body)).then_some((code, body))
}

/// The identifier `text` ends with (`form` of `const form`), if any.
fn last_identifier(text: &str) -> Option<&str> {
    let start = text
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .map_or(0, |j| j + 1);
    let name = &text[start..];
    (!name.is_empty()).then_some(name)
}

/// Whether a function's body builds an instance and calls it (`new X().y()`) or reads a
/// server-side environment variable: either may reach a service or a secret.
fn builds_or_reads_secret(body: &str) -> bool {
    calls_on_new(body)
        || body
            .match_indices("process.env")
            .any(|(j, _)| !body[j..].starts_with("process.env.NEXT_PUBLIC_"))
}

/// **validates**: the entry answers from the request alone: it awaits the request's body and
/// nothing else, it reads no secret, and all it calls checks values against a schema or is a project
/// function that only computes (a validation helper, an error or response builder). It touches
/// no data and no service: nothing a session would guard.
pub fn validates(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    let (code, body) = request_only_body(texts, rel, f)?;
    let reads_body = |after: &str| reads_request_body(f, after);
    // It reads the body (what it answers from), and awaits nothing else.
    let mut awaits = word_at(&body, "await").peekable();
    if awaits.peek().is_none() || !awaits.all(|i| reads_body(&body[i + "await".len()..])) {
        return None;
    }
    // The names the awaited body is bound to (`const fd = await request.formData()`), whose
    // fields it reads (`fd.get('height')`).
    let forms: Vec<&str> = word_at(&body, "await")
        .filter(|&i| reads_body(&body[i + "await".len()..]))
        .filter_map(|i| {
            let before = body[..i].trim_end().strip_suffix('=')?.trim_end();
            // `const fd: FormData =`: past a type annotation.
            let before = match before.rsplit_once(':') {
                Some((name, ty))
                    if ty
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    name.trim_end()
                }
                _ => before,
            };
            last_identifier(before)
        })
        .collect();
    // What is left besides reading the body and its fields: schema checks and computation.
    // Package functions are left out here: a call that is not awaited may still send something.
    let rest: Vec<u32> = f
        .work_calls
        .iter()
        .copied()
        .filter(|&k| {
            let Some((path, _)) = f.calls.get(k as usize) else {
                return true;
            };
            // The language's own conversions (`Number(fd.get('age'))`), unless the module
            // binds the name.
            if let [name] = path.as_slice() {
                return !(CONVERSIONS.contains(&name.as_str())
                    && !code.bindings.contains_key(name)
                    && !code.imports.contains_key(name));
            }
            let [root, method] = path.as_slice() else {
                return true;
            };
            let body_read = f.param_names.contains(root) && BODY_READS.contains(&method.as_str());
            let field_read = forms.contains(&root.as_str())
                && matches!(method.as_str(), "get" | "getAll" | "has");
            !(body_read || field_read)
        })
        .collect();
    calls_only_compute(texts, rel, code, f, &rest, DEPTH, false).then(|| {
        "answers from the request alone: it reads the body, checks it against a schema or computes on it, and touches no data, service or secret".into()
    })
}

/// Whether a name (local or imported from a project module) is a cookie made by a package's
/// `createCookie(name, { … })` (Remix, React Router) with options written in place and no
/// `secrets`: an unsigned cookie, whose value the caller could as well have set itself.
fn unsigned_cookie(texts: &Texts, rel: &str, code: &CodeFacts, name: &str) -> bool {
    let (at, at_code, local) = if code.bindings.contains_key(name) {
        (rel.to_string(), code, name.to_string())
    } else {
        let Some((other, export)) = texts.project.resolve_binding(rel, name) else {
            return false;
        };
        let Some(other_code) = texts.project.file(&other).and_then(|x| x.code()) else {
            return false;
        };
        (other, other_code, export)
    };
    let Some(Binding::Call { callee, span, .. }) = at_code.bindings.get(&local) else {
        return false;
    };
    let [maker] = callee.as_slice() else {
        return false;
    };
    if maker != "createCookie" || !from_package(texts.project, &at, at_code, maker) {
        return false;
    }
    let Some(text) = texts.text(&at) else {
        return false;
    };
    let Some(args) = text.get(span.start..span.end).and_then(call_args) else {
        return false;
    };
    let args = split_top(args, ',');
    let options_in_place = args
        .get(1)
        .is_none_or(|o| o.trim().is_empty() || o.trim().starts_with('{'));
    args.len() <= 2 && options_in_place && !has_word(args.get(1).map_or("", |o| o), "secrets")
}

/// **own cookie**: the entry reads the posted form, computes on it, and answers with an
/// unsigned cookie made of it (`await themeCookie.serialize(theme)` in a `Set-Cookie` header):
/// it awaits nothing but the body and the cookie's serialization, reads no secret, and all it
/// calls reads the form, writes that cookie or only computes. The caller gets back a cookie it
/// could have set itself; nothing is read or changed on the server.
pub fn own_cookie(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    let (code, body) = request_only_body(texts, rel, f)?;
    // A body read on a parameter: `request.formData()`, `request.json()`.
    let body_read = |t: &str| reads_request_body(f, t);
    // `const form = await request.formData()`: the names bound to the posted form.
    let forms: Vec<&str> = word_at(&body, "await")
        .filter(|&i| body_read(&body[i + "await".len()..]))
        .filter_map(|i| {
            let before = body[..i].trim_end().strip_suffix('=')?.trim_end();
            last_identifier(before)
        })
        .collect();
    // `await cookie.serialize(value)` on an unsigned cookie.
    let serializes = |t: &str| {
        let t = t.trim_start();
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(t.len());
        let (name, rest) = t.split_at(end);
        !name.is_empty()
            && rest
                .strip_prefix(".serialize")
                .is_some_and(|r| r.trim_start().starts_with('('))
            && unsigned_cookie(texts, rel, code, name)
    };
    let mut writes_cookie = false;
    for i in word_at(&body, "await") {
        let after = &body[i + "await".len()..];
        if serializes(after) {
            writes_cookie = true;
        } else if !body_read(after) {
            return None;
        }
    }
    if !writes_cookie {
        return None;
    }
    let calls_ok = f.work_calls.iter().all(|&k| {
        let Some((path, _)) = f.calls.get(k as usize) else {
            return false;
        };
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        match path.as_slice() {
            [p, _] if f.param_names.contains(p) && BODY_READS.contains(&last) => true,
            [form, _] if matches!(last, "get" | "getAll" | "has") => forms.contains(&form.as_str()),
            [cookie, _] if last == "serialize" => unsigned_cookie(texts, rel, code, cookie),
            _ if is_schema_check(path) => true,
            [name] => project_fn(texts.project, rel, code, name)
                .is_some_and(|(other, g)| computes_only(texts, &other, g, DEPTH - 1)),
            _ => false,
        }
    });
    calls_ok.then(|| {
        "answers from the posted form alone: it writes the caller an unsigned cookie made of it, and touches no data, service or secret".into()
    })
}

/// **image**: the entry answers an `ImageResponse`, awaits only bundled files, reads no secret
/// and calls nothing but those loads and functions that only compute.
pub fn image(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    let code = texts.project.file(rel)?.code()?;
    let local = code.imports.iter().find_map(|(local, i)| {
        (i.imported == "ImageResponse"
            && matches!(i.source.as_str(), "next/og" | "@vercel/og" | "next/server"))
        .then_some(local.as_str())
    })?;
    let body = texts.body(rel, f)?;
    if !body.contains(&format!("new {local}(")) {
        return None;
    }
    if body
        .match_indices("process.env")
        .any(|(j, _)| !body[j..].starts_with("process.env.NEXT_PUBLIC_"))
    {
        return None;
    }
    // Every `await` loads a bundled file.
    let awaits_assets = word_at(&body, "await").all(|i| asset_load(&body[i + 5..]));
    if !awaits_assets {
        return None;
    }
    let text = texts.text(rel)?;
    let calls_ok = f.work_calls.iter().all(|&k| {
        let Some((path, span)) = f.calls.get(k as usize) else {
            return false;
        };
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        let call = text.get(span.start..span.end).unwrap_or("");
        // The load, `.then((r) => r.arrayBuffer())` on it, and the body read.
        if asset_load(call) || matches!(last, "arrayBuffer" | "blob") {
            return true;
        }
        if let [name] = path.as_slice() {
            return project_fn(texts.project, rel, code, name)
                .is_some_and(|(other, g)| computes_only(texts, &other, g, DEPTH - 1));
        }
        false
    });
    calls_ok.then(|| {
        "an `ImageResponse` drawn from the request: it awaits only files bundled with the app"
            .into()
    })
}

/// The characters of a text outside string literals, each with its offset and the bracket
/// depth before it (parentheses, brackets and braces; a closer never takes it below zero).
fn outside_strings(text: &str) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    text.char_indices().filter_map(move |(i, c)| {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            return None;
        }
        let before = depth;
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                return None;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        Some((i, c, before))
    })
}

/// Split a text at a separator outside strings, parentheses, brackets and braces.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c, depth) in outside_strings(text) {
        if c == sep && depth == 0 {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// What each `return` gives back, whole (an object literal over several lines included): up
/// to the `;`, the line end or the block's `}` outside brackets.
fn returned_whole(body: &str) -> Vec<&str> {
    word_at(body, "return")
        .map(|i| {
            let rest = &body[i + "return".len()..];
            let end = outside_strings(rest)
                .find(|&(j, c, depth)| {
                    c == ';'
                        || (depth == 0 && (c == '}' || (c == '\n' && !rest[..j].trim().is_empty())))
                })
                .map_or(rest.len(), |(j, _, _)| j);
            rest[..end].trim()
        })
        .collect()
}

/// A value that carries nothing read: a literal, or how many rows there were (`rows.length`).
fn constant_value(v: &str) -> bool {
    let v = v.trim();
    if let Some(q) = v.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
        return v.len() >= 2 && v.ends_with(q) && !v.contains("${");
    }
    if v.starts_with('{') {
        return constant_object(v);
    }
    let count = v
        .strip_suffix(".length")
        .map(|r| r.trim_end_matches('?'))
        .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    count
        || matches!(v, "true" | "false" | "null" | "undefined")
        || (!v.is_empty() && v.parse::<f64>().is_ok())
}

/// An object literal whose every value is a constant (`{ ok: true, count: rows.length }`).
fn constant_object(o: &str) -> bool {
    let Some(inner) = o.trim().strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    split_top(inner, ',').into_iter().all(|entry| {
        let entry = entry.trim();
        if entry.is_empty() {
            return true;
        }
        match split_top(entry, ':').as_slice() {
            [key, value] => {
                let key = key.trim();
                !key.is_empty()
                    && !key.starts_with('[')
                    && !key.starts_with("...")
                    && constant_value(value)
            }
            _ => false,
        }
    })
}

/// An answer built from constants: an object literal of them, bare or in `json(…)` /
/// `Response.json(…)`.
fn constant_answer(e: &str) -> bool {
    let e = e.trim();
    let e = ["Response.json(", "NextResponse.json(", "json("]
        .iter()
        .find_map(|w| e.strip_prefix(w).map(|_| e))
        .and_then(call_args)
        .map(|args| split_top(args, ',')[0])
        .unwrap_or(e);
    constant_object(e)
}

/// The statements of a function's body block (the last top-level `{…}` of its text), or the
/// expression of an arrow (`() => refuse(405)`, as a `return` of it).
fn body_statements(body: &str) -> Vec<String> {
    if expression_arrow(body) {
        let arrow = outside_strings(body)
            .find(|&(i, c, depth)| depth == 0 && c == '=' && body[i..].starts_with("=>"))
            .map(|(i, _, _)| i + 2);
        return arrow
            .map(|i| vec![format!("return {}", body[i..].trim())])
            .unwrap_or_default();
    }
    let Some(open) = outside_strings(body)
        .filter(|&(_, c, depth)| c == '{' && depth == 0)
        .map(|(i, _, _)| i)
        .last()
    else {
        return Vec::new();
    };
    let inner = body[open + 1..].trim_end();
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    split_top(inner, ';')
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// An HTTP error status written as a literal (`405`), or an options object naming one
/// (`{ status: 405 }`).
fn error_status(arg: &str) -> bool {
    let arg = arg.trim();
    let literal = |v: &str| {
        v.trim()
            .parse::<u16>()
            .is_ok_and(|n| (400..600).contains(&n))
    };
    if literal(arg) {
        return true;
    }
    let Some(inner) = arg.strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    split_top(inner, ',').into_iter().any(|entry| {
        matches!(split_top(entry, ':').as_slice(), [k, v] if k.trim() == "status" && literal(v))
    })
}

/// An argument that carries nothing read: a constant, or an error built from constants
/// (`new Error('Method not allowed')`).
fn constant_arg(arg: &str) -> bool {
    let arg = arg.trim();
    if let Some(rest) = arg.strip_prefix("new ") {
        let Some(open) = rest.find('(') else {
            return false;
        };
        let name = rest[..open].trim();
        return name.ends_with("Error")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && call_args(&rest[open..]).is_some_and(|args| {
                rest[open + args.len() + 2..].trim().is_empty()
                    && split_top(args, ',').into_iter().all(constant_value)
            });
    }
    constant_value(arg) || error_status(arg)
}

/// **refuses**: the whole body is one statement that answers an error from constants:
/// `return errorResponse(new Error('Method not allowed'), 405)` (a call given only constants,
/// one of them an error status, 400–599) or `throw new ApiError('Method not allowed', …)`.
/// Nothing is read, awaited or changed.
pub fn refuses(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    let body = texts.body(rel, f)?;
    let statements = body_statements(&body);
    let [only] = statements.as_slice() else {
        return None;
    };
    if has_word(only, "await") {
        return None;
    }
    if let Some(thrown) = only.strip_prefix("throw ") {
        let thrown = thrown.trim();
        let name: String = thrown
            .strip_prefix("new ")?
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return name
            .ends_with("Error")
            .then(|| format!("it always throws `{name}`: nothing is read or changed"));
    }
    let call = only.strip_prefix("return ")?.trim();
    let open = call.find('(')?;
    let callee = call[..open].trim();
    if callee.is_empty()
        || !callee
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
    {
        return None;
    }
    let args = call_args(&call[open..])?;
    if !call[open + args.len() + 2..].trim().is_empty() {
        return None;
    }
    let args = split_top(args, ',');
    // What it builds is an error answer: the callee says so, or it is given an error.
    let lower = callee.to_ascii_lowercase();
    let answers_error = ["error", "response", "respond", "reply", "fail", "json"]
        .iter()
        .any(|w| lower.contains(w))
        || args.iter().any(|a| a.trim().starts_with("new "));
    (answers_error && args.iter().all(|a| constant_arg(a)) && args.iter().any(|a| error_status(a)))
        .then(|| format!("it answers an error status through `{callee}(…)` given only constants"))
}

/// **probe**: the entry takes no input, changes nothing, and every answer is built from
/// constants and counts (`{ ok: true, count: rows.length }`): a connectivity check.
pub fn probe(texts: &Texts, rel: &str, f: &FnFacts) -> Option<String> {
    if f.work_calls.is_empty() {
        return None;
    }
    let body = texts.body(rel, f)?;
    if expression_arrow(&body) {
        return None;
    }
    // No input: no parameter is read.
    if f.param_names.iter().any(|p| word_at(&body, p).count() > 1) {
        return None;
    }
    let text = texts.text(rel)?;
    for (path, span) in &f.calls {
        let last = path.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
        match last {
            "json" => {
                let call = text.get(span.start..span.end)?;
                let first = call_args(call).map(|a| split_top(a, ',')[0])?;
                if !constant_object(first) {
                    return None;
                }
            }
            "status" => {}
            _ if ANSWERS.contains(&last) => return None,
            _ => {}
        }
    }
    let answers = returned_whole(&body);
    if answers.is_empty() || !answers.iter().all(|r| constant_answer(r)) {
        return None;
    }
    changes_nothing(texts, rel, f, DEPTH).then(|| {
        "a probe: it takes no input, changes nothing, and answers only constants and counts".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole build reads an entry's text for its readings and lets it go; an update of its
    /// app keeps it in memory, so that the next update does not read it again.
    #[test]
    fn an_update_keeps_the_texts_its_readings_read() {
        let route = "import { db } from '../../../lib/db'\nexport async function POST() {\n  await db.user.findMany()\n}\n";
        let facts = [
            (
                "package.json",
                r#"{ "dependencies": { "next": "15.5.6" } }"#,
            ),
            ("app/api/sync/route.ts", route),
            ("lib/db.ts", "export const db = {} as any\n"),
            ("lib/other.ts", "export const x = 1\n"),
        ]
        .iter()
        .map(|(rel, text)| {
            let f = crate::facts::extract_text(rel, text);
            // As read from disk: released after the build, read again when asked for.
            let text = text.to_string();
            f.source.set_reload(move || Some(text.clone()));
            f
        })
        .collect();
        let mut p = Project::build(
            "/nonexistent-clerk-guard-root".into(),
            facts,
            Vec::new(),
            Default::default(),
        );
        let route_file = || p.file("app/api/sync/route.ts").unwrap();
        assert!(matches!(
            p.entries[0].protection,
            super::super::routes::Protection::Inert(_)
        ));
        assert!(!route_file().source.is_kept());
        p.upsert(crate::facts::extract_text(
            "lib/other.ts",
            "export const x = 2\n",
        ));
        let route_file = || p.file("app/api/sync/route.ts").unwrap();
        assert!(route_file().source.is_kept());
        assert!(matches!(
            p.entries[0].protection,
            super::super::routes::Protection::Inert(_)
        ));
    }

    #[test]
    fn nothing_returned() {
        assert!(returns_nothing("async function f() { await g() }"));
        assert!(returns_nothing(
            "async function f() { if (x) return; await g() }"
        ));
        assert!(!returns_nothing("async function f() { return await g() }"));
        assert!(!returns_nothing("async () => g()"));
        assert!(returns_nothing("async () => { await g() }"));
        assert!(!returns_nothing("async ({ id }) => find(id)"));
        assert!(!returns_nothing(
            "async (): Promise<{ ok: boolean }> => check()"
        ));
        assert!(returns_nothing(
            "async ({ id }): Promise<void> => {\n  await find(id)\n}"
        ));
    }

    #[test]
    fn built_in_place() {
        assert!(calls_on_new(
            "const c = new Stripe(key).charges.create({ amount })"
        ));
        assert!(calls_on_new("await new Client({ url }).rows.remove(id)"));
        assert!(!calls_on_new(
            "const u = new URL(req.url)\nthrow new Error('x')"
        ));
        assert!(!calls_on_new(
            "const t = new URL(req.url).searchParams.get('t')"
        ));
    }

    #[test]
    fn bundled_files() {
        assert!(asset_load(
            "fetch(\n new URL(\"../../assets/Inter.ttf\", import.meta.url)\n).then((r) => r.arrayBuffer())"
        ));
        assert!(asset_load(
            "readFile(join(process.cwd(), 'public/logo.png'))"
        ));
        assert!(!asset_load("fetch(`https://api.example.com/users/${id}`)"));
        assert!(!asset_load("fetch(new URL(path, import.meta.url))"));
        assert!(!asset_load("db.user.findFirst({ where: { id } })"));
    }

    #[test]
    fn constant_answers() {
        let body = "async () => {\n  const rows = await db.select().from(users).limit(1)\n  if (!rows) {\n    return { ok: false, error: 'Database not available' }\n  }\n  return {\n    ok: true,\n    count: rows.length,\n  }\n}";
        let answers = returned_whole(body);
        assert_eq!(answers.len(), 2);
        assert!(answers.iter().all(|a| constant_answer(a)));
        assert!(constant_answer(
            "Response.json({ ok: true }, { status: 200 })"
        ));
        assert!(!constant_answer("{ ok: false, error: errorMessage }"));
        assert!(!constant_answer("{ ok: true, rows }"));
        assert!(!constant_answer("{ ok: true, rows: rows }"));
        assert!(!constant_answer("{ ...rows[0] }"));
        assert!(!constant_answer("{ error: `failed: ${e}` }"));
        assert!(!constant_answer("rows"));
    }

    #[test]
    fn fixed_redirects() {
        assert!(fixed_redirect("res.redirect(\"/\")"));
        assert!(fixed_redirect("res.redirect(307, '/signed-out')"));
        assert!(fixed_redirect(
            "NextResponse.redirect(new URL('/', req.url))"
        ));
        assert!(!fixed_redirect("res.redirect(`/t/${token}`)"));
        assert!(!fixed_redirect("res.redirect(next)"));
    }
}
