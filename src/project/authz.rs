//! Authorization of each entry point: which administrative Clerk operations it reaches and
//! whether a role or permission check comes first, and whether an organization id taken from
//! the request is checked against the session before it is used.
//!
//! Built on the per-function facts of `facts::authz` and the cross-file resolution of
//! `project::guards` (the same `Analyzer` resolves helpers, wrappers and re-exports).

use std::collections::{HashMap, HashSet};

use super::Project;
use super::guards::{Analyzer, FnKey, Target};
use super::routes::{Entry, EntryKind};
use crate::facts::authz::{
    AdminCall, FnAuthz, Sensitive, Source, is_destructive_data_call, is_org_id_name,
};
use crate::facts::code::{Binding, CalleePath, CodeFacts, FnFacts};
use crate::finding::Span;

/// The source of an org id read from a function's own arguments (`facts::authz`).
const ARGUMENTS: &str = "its arguments";

/// An administrative operation an entry reaches without a role check before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachedOp {
    /// The file of the call site (`site`) in the entry's function.
    pub file: usize,
    /// Where the entry's function performs the operation, or calls the helper that does.
    pub site: Span,
    /// The operation itself.
    pub op_file: usize,
    pub op_span: Span,
    /// `users.deleteUser`.
    pub call: String,
    pub resource: String,
    pub destructive: bool,
    /// Helpers from the entry's function to the operation (`` `banUser` (lib/admin.ts) ``).
    pub via: Vec<String>,
    /// The role check that comes first, if any.
    pub covered: Option<String>,
    /// Whose account the operation acts on (`Source::Param` only until a caller resolves it).
    pub target: Source,
    /// What it writes into trusted metadata under a privilege key (`AdminCall::grant`).
    pub grant: Option<Source>,
    /// On an administrative resource (what `missing-role-check` reports when not `on_self`).
    pub admin: bool,
    /// The operation is sensitive (a step-up candidate).
    pub sensitive: Option<Sensitive>,
    /// The reverification (step-up) check that comes first, if any.
    pub step_up: Option<String>,
    /// Reached inside a role guard the entry calls (`requireAdmin()` that syncs the caller's
    /// role into metadata): bookkeeping of the check, not the entry's own action.
    pub in_guard: bool,
}

impl ReachedOp {
    /// The operation acts on the signed-in user's own account.
    pub fn on_self(&self) -> bool {
        self.target == Source::Caller
    }

    /// Where the caller chooses a role or permission they write into their own trusted
    /// metadata from: request data nobody tested, or (for an entry) its own arguments.
    pub fn self_grant(&self) -> Option<&str> {
        if !self.on_self() {
            return None;
        }
        match self.grant.as_ref()? {
            Source::Request(label) => Some(label),
            Source::Param(_) => Some("its arguments"),
            _ => None,
        }
    }

    /// An administrative operation on someone else, or one that lets the signed-in user grant
    /// themselves a role (what `missing-role-check` reports).
    pub fn is_admin_op(&self) -> bool {
        self.admin && (!self.on_self() || self.self_grant().is_some())
    }

    /// Resolves the helper's parameters through the arguments of the call that reached it,
    /// then settles what follows (`settle`).
    fn through(mut self, args: &[Source]) -> ReachedOp {
        self.target = self.target.through(args);
        self.grant = self.grant.map(|g| g.through(args));
        self.settle();
        self
    }

    /// A change of the caller's own metadata is a membership change only when the caller
    /// chooses the role written: a role the server chose (a sync from the database, a constant
    /// for new accounts) or a role only in the user-writable `unsafeMetadata` gives a hijacked
    /// session nothing.
    fn settle(&mut self) {
        if self.on_self()
            && self.sensitive == Some(Sensitive::Membership)
            && matches!(self.grant, None | Some(Source::Server | Source::Caller))
        {
            self.sensitive = None;
        }
    }

    /// Whether a rule has anything to say about it.
    fn matters(&self) -> bool {
        self.is_admin_op() || self.sensitive.is_some()
    }
}

/// A request-supplied organization id that reaches a data call before any check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgFinding {
    pub file: usize,
    pub span: Span,
    /// `orgId`, `params.orgId`.
    pub name: String,
    pub source: String,
    /// `db.project.findMany`.
    pub callee: String,
}

/// What `clerk-guard routes` shows about an entry's authorization.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryAuthz {
    /// The role or permission checked (`org:admin`), or how (`requireAdmin()`).
    pub role: Option<String>,
    pub role_how: Option<String>,
    /// Scoped to the session's organization, or a request org id checked against it.
    pub org_scoped: bool,
    /// The reverification (step-up) check the entry requires, if any.
    pub step_up: Option<String>,
}

impl EntryAuthz {
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.role {
            parts.push(format!("role: {r}"));
        }
        if self.org_scoped {
            parts.push("org-scoped".to_string());
        }
        if self.step_up.is_some() {
            parts.push("step-up".to_string());
        }
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Whether a helper requires reverification (step-up).
#[derive(Clone, Debug, PartialEq, Eq)]
enum StepUpFn {
    /// Stops the request without a recent verification (`auth.protect({ reverification })`, a
    /// reverification test that throws).
    Guard(String),
    /// Returns the result of a reverification test: a check when the caller acts on it.
    Predicate(String),
}

/// Whether a helper checks a role.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RoleFn {
    /// Stops the request when the role is missing (throws, redirects, `auth.protect({ role })`),
    /// or wraps a handler in such a check.
    Guard(String),
    /// Returns the result of a role test: a check when the caller acts on it.
    Predicate(String),
}

impl RoleFn {
    fn how(&self) -> &str {
        match self {
            RoleFn::Guard(h) | RoleFn::Predicate(h) => h,
        }
    }
}

pub struct AuthzAnalyzer<'p> {
    pub project: &'p Project,
    an: Analyzer<'p>,
    clients: HashMap<(usize, String), bool>,
    role_fns: HashMap<FnKey, Option<RoleFn>>,
    ops: HashMap<FnKey, Vec<ReachedOp>>,
    org_check_fns: HashMap<FnKey, bool>,
    step_up_fns: HashMap<FnKey, Option<StepUpFn>>,
    in_progress: HashSet<(u8, FnKey)>,
    /// Nesting of the recursive summaries (helpers calling helpers), bounded.
    depth: usize,
}

/// How deep helper chains are followed.
const MAX_DEPTH: usize = 24;

const NO_AUTHZ: &FnAuthz = &FnAuthz {
    admin_calls: Vec::new(),
    call_args: Vec::new(),
    role_checks: Vec::new(),
    returns_role: None,
    org_reads: Vec::new(),
    org_uses: Vec::new(),
    org_checks: Vec::new(),
    session_org_used: false,
    step_ups: Vec::new(),
    returns_step_up: None,
};

/// What the authorization rules read of an endpoint entry: the function handling it, the role
/// check that covers it whole (`entry_role`) and the operations it reaches (`ops_from`).
#[derive(Clone, Debug)]
pub struct EntryOps {
    pub key: FnKey,
    pub role: Option<String>,
    pub ops: Vec<ReachedOp>,
}

impl Project {
    /// `EntryOps` of every entry the role and step-up rules look at (route handlers,
    /// `pages/api` handlers and server actions of apps that use Clerk, not called by a
    /// machine), by entry index; `None` for the others. Computed once per model, app by app,
    /// each app's entries in order by one analyzer whose memo of helpers serves every entry of
    /// the app (and every rule): an app's answers depend on no other app's entries, so that
    /// those of the apps an update did not analyse again are kept (`kept_entry_ops`).
    pub fn entry_ops(&self) -> &[Option<EntryOps>] {
        self.entry_ops.get_or_init(|| {
            let mut kept = self
                .kept_entry_ops
                .lock()
                .map(|mut k| std::mem::take(&mut *k))
                .unwrap_or_default();
            let mut out = Vec::with_capacity(self.entries.len());
            // Entries are grouped by app.
            for entries in self.entries.chunk_by(|a, b| a.app == b.app) {
                match kept
                    .remove(&entries[0].app)
                    .filter(|ops| ops.len() == entries.len())
                {
                    Some(ops) => out.extend(ops),
                    None => {
                        let mut az = AuthzAnalyzer::new(self);
                        out.extend(entries.iter().map(|e| az.entry_ops(e)));
                        self.entry_ops_computed
                            .fetch_add(entries.len(), std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            out
        })
    }
}

impl AuthzAnalyzer<'_> {
    /// The `EntryOps` of one entry (see `Project::entry_ops`).
    fn entry_ops(&mut self, e: &Entry) -> Option<EntryOps> {
        if !matches!(
            e.kind,
            EntryKind::RouteHandler | EntryKind::PagesApi | EntryKind::ServerAction
        ) || !self.project.app_uses_clerk(e.app)
            || e.called_by_machine()
            || self.project.unbundled_action(e)
        {
            return None;
        }
        let key = self.entry_function(e)?;
        let role = self.entry_role(e);
        let ops = self.ops_from(key);
        Some(EntryOps { key, role, ops })
    }
}

impl<'p> AuthzAnalyzer<'p> {
    pub fn new(project: &'p Project) -> Self {
        AuthzAnalyzer {
            project,
            an: Analyzer::new(project),
            clients: HashMap::new(),
            role_fns: HashMap::new(),
            ops: HashMap::new(),
            org_check_fns: HashMap::new(),
            step_up_fns: HashMap::new(),
            in_progress: HashSet::new(),
            depth: 0,
        }
    }

    fn code(&self, file: usize) -> Option<&'p CodeFacts> {
        self.project.files.get(file)?.code()
    }

    fn facts(&self, key: FnKey) -> Option<&'p FnFacts> {
        self.code(key.0)?.function(key.1)
    }

    fn authz(&self, key: FnKey) -> &'p FnAuthz {
        self.code(key.0)
            .and_then(|c| c.authz.function(key.1))
            .unwrap_or(NO_AUTHZ)
    }

    pub fn fn_label(&self, key: FnKey) -> String {
        let file = &self.project.files[key.0].rel;
        let name = self
            .facts(key)
            .and_then(|f| f.name.clone())
            .unwrap_or_else(|| "<anonymous>".into());
        format!("`{name}` ({file})")
    }

    /// The function itself and every function defined inside it.
    fn nested(&self, key: FnKey) -> Vec<usize> {
        let Some(code) = self.code(key.0) else {
            return Vec::new();
        };
        let Some(outer) = code.function(key.1).map(|f| f.range) else {
            return Vec::new();
        };
        code.functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.range.start >= outer.start && f.range.end <= outer.end)
            .map(|(i, _)| i)
            .collect()
    }

    /// What a module-level name in a file is bound to (a local binding or an import).
    fn target_of_name(&self, file: usize, name: &str) -> Option<Target> {
        let code = self.code(file)?;
        if let Some(b) = code.bindings.get(name) {
            return self.an.binding_target(file, b, 0);
        }
        let imp = code.imports.get(name)?;
        self.an.resolve_import(file, &imp.source, &imp.imported, 0)
    }

    /// Whether a name in a file gives a Clerk Backend API client: `clerkClient` (v5 singleton
    /// or v6 async factory), `createClerkClient`, a module-level client built with them, or a
    /// project function returning one.
    pub fn is_clerk_client(&mut self, file: usize, name: &str) -> bool {
        self.is_clerk_client_at(file, name, 0)
    }

    fn is_clerk_client_at(&mut self, file: usize, name: &str, depth: usize) -> bool {
        if depth > 4 {
            return false;
        }
        let key = (file, name.to_string());
        if let Some(v) = self.clients.get(&key) {
            return *v;
        }
        self.clients.insert(key.clone(), false);
        let clerk = |imported: &str| matches!(imported, "clerkClient" | "createClerkClient");
        let v = match self.target_of_name(file, name) {
            Some(Target::Clerk { imported, .. }) => clerk(&imported),
            Some(Target::Call {
                file: f2, callee, ..
            }) => match callee.as_slice() {
                [one] => self.is_clerk_client_at(f2, one.trim_end_matches("()"), depth + 1),
                _ => false,
            },
            Some(Target::Function(k)) => {
                let calls: Vec<CalleePath> = self
                    .facts(k)
                    .map(|f| f.returns.calls.clone())
                    .unwrap_or_default();
                calls.iter().any(|p| match p.as_slice() {
                    [one] => self.is_clerk_client_at(k.0, one.trim_end_matches("()"), depth + 1),
                    _ => false,
                })
            }
            Some(
                Target::Opaque(_)
                | Target::Missing(_)
                | Target::Library { .. }
                | Target::Chain { .. }
                | Target::Object { .. },
            ) => false,
            None => clerk(name),
        };
        self.clients.insert(key, v);
        v
    }

    fn configured(&self, callee: &CalleePath) -> Option<String> {
        let last = callee.last()?.trim_end_matches("()");
        let cfg = &self.project.config;
        if cfg.role_functions.iter().any(|n| n == last) {
            return Some(format!("`{last}()` (listed in `role_functions`)"));
        }
        if cfg.auth_functions.iter().any(|n| n == last) {
            return Some(format!("`{last}()` (listed in `auth_functions`)"));
        }
        None
    }

    /// Whether a function checks a role, and how its callers can rely on it.
    fn role_fn(&mut self, key: FnKey) -> Option<RoleFn> {
        if let Some(v) = self.role_fns.get(&key) {
            return v.clone();
        }
        if self.depth > MAX_DEPTH || !self.in_progress.insert((1, key)) {
            return None;
        }
        self.depth += 1;
        let v = self.compute_role_fn(key);
        self.depth -= 1;
        self.in_progress.remove(&(1, key));
        self.role_fns.insert(key, v.clone());
        v
    }

    fn compute_role_fn(&mut self, key: FnKey) -> Option<RoleFn> {
        let label = self.fn_label(key);
        let fa = self.authz(key);
        let f = self.facts(key)?;
        // Its own checks that stop callers.
        for rc in &fa.role_checks {
            if !rc.throws {
                continue;
            }
            match &rc.via {
                None => return Some(RoleFn::Guard(rc.how.clone())),
                Some(callee) => {
                    if let Some(h) = self.callee_role(key.0, callee) {
                        return Some(RoleFn::Guard(format!("{} ({})", rc.how, h)));
                    }
                }
            }
        }
        // A guard it calls.
        for (callee, _) in &f.calls {
            if let Some(h) = self.configured(callee) {
                return Some(RoleFn::Guard(h));
            }
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(RoleFn::Guard(h)) = self.role_fn(k)
            {
                return Some(RoleFn::Guard(format!("{h} via {}", self.fn_label(k))));
            }
        }
        // A wrapper: the handler it returns checks a role.
        for &i in &f.returns.functions {
            if let Some((_, how)) = self.role_before((key.0, i), usize::MAX) {
                return Some(RoleFn::Guard(format!("wraps the handler in {how}")));
            }
        }
        // The guard analysis found a role check (e.g. in every branch of a dispatcher).
        if let Some(e) = &self.an.summary(key).role {
            return Some(RoleFn::Guard(e.how()));
        }
        // Predicates.
        if let Some(r) = &fa.returns_role {
            return Some(RoleFn::Predicate(format!("`{r}` in {label}")));
        }
        if let Some(rc) = fa.role_checks.iter().find(|rc| rc.via.is_none()) {
            return Some(RoleFn::Predicate(rc.how.clone()));
        }
        for callee in &f.returns.calls {
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(r) = self.role_fn(k)
            {
                return Some(RoleFn::Predicate(r.how().to_string()));
            }
        }
        None
    }

    /// A callee that checks a role (a guard or a predicate), or a configured name.
    fn callee_role(&mut self, file: usize, callee: &CalleePath) -> Option<String> {
        if let Some(h) = self.configured(callee) {
            return Some(h);
        }
        let k = self.an.resolve_fn(file, callee)?;
        let r = self.role_fn(k)?;
        Some(format!("{} via {}", r.how(), self.fn_label(k)))
    }

    /// The first role or permission check in a function's own body before byte `before`:
    /// (position, how).
    pub fn role_before(&mut self, key: FnKey, before: usize) -> Option<(usize, String)> {
        if self.depth > MAX_DEPTH || !self.in_progress.insert((2, key)) {
            return None;
        }
        self.depth += 1;
        let r = self.compute_role_before(key, before);
        self.depth -= 1;
        self.in_progress.remove(&(2, key));
        r
    }

    fn compute_role_before(&mut self, key: FnKey, before: usize) -> Option<(usize, String)> {
        let fa = self.authz(key);
        let f = self.facts(key)?;
        let mut best: Option<(usize, String)> = None;
        let consider = |pos: usize, how: String, best: &mut Option<(usize, String)>| {
            if pos <= before && best.as_ref().is_none_or(|(p, _)| pos < *p) {
                *best = Some((pos, how));
            }
        };
        for rc in &fa.role_checks {
            if rc.span.start > before {
                continue;
            }
            match &rc.via {
                None => consider(rc.span.start, rc.how.clone(), &mut best),
                Some(callee) => {
                    if let Some(h) = self.callee_role(key.0, callee) {
                        consider(rc.span.start, format!("{} ({h})", rc.how), &mut best);
                    }
                }
            }
        }
        for (callee, span) in &f.calls {
            if span.start > before || best.as_ref().is_some_and(|(p, _)| *p <= span.start) {
                continue;
            }
            if let Some(h) = self.configured(callee) {
                consider(span.start, h, &mut best);
                continue;
            }
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(RoleFn::Guard(h)) = self.role_fn(k)
            {
                consider(
                    span.start,
                    format!("{h} via {}", self.fn_label(k)),
                    &mut best,
                );
            }
        }
        best
    }

    /// Every administrative Clerk operation a function reaches (directly, in callbacks it
    /// defines, or through project functions it calls), with the role check before each.
    pub fn ops_from(&mut self, key: FnKey) -> Vec<ReachedOp> {
        if let Some(v) = self.ops.get(&key) {
            return v.clone();
        }
        if self.depth > MAX_DEPTH || !self.in_progress.insert((3, key)) {
            return Vec::new();
        }
        self.depth += 1;
        let v = self.compute_ops(key);
        self.depth -= 1;
        self.in_progress.remove(&(3, key));
        self.ops.insert(key, v.clone());
        v
    }

    fn compute_ops(&mut self, key: FnKey) -> Vec<ReachedOp> {
        let mut out: Vec<ReachedOp> = Vec::new();
        let calls: Vec<AdminCall> = self.authz(key).admin_calls.clone();
        for op in calls {
            let mut reached = ReachedOp {
                file: key.0,
                site: op.span,
                op_file: key.0,
                op_span: op.span,
                call: format!("{}.{}", op.resource, op.method),
                resource: op.resource.clone(),
                destructive: op.destructive,
                via: Vec::new(),
                covered: None,
                target: op.target.clone(),
                grant: op.grant.clone(),
                admin: op.admin,
                sensitive: op.sensitive,
                step_up: None,
                in_guard: false,
            };
            reached.settle();
            if !reached.matters() {
                continue;
            }
            let Some(factory) = op.factory.as_deref() else {
                continue;
            };
            if !self.is_clerk_client(key.0, factory) {
                continue;
            }
            reached.covered = self.role_before(key, op.span.start).map(|(_, h)| h);
            reached.step_up = self.step_up_before(key, op.span.start);
            out.push(reached);
        }
        let nested = self.nested(key);
        // Destructive calls of the app's own data layer (`db.user.deleteMany`).
        let mut data_calls: Vec<(CalleePath, Span)> = Vec::new();
        if let Some(code) = self.code(key.0) {
            for &i in &nested {
                if let Some(f) = code.function(i) {
                    data_calls.extend(
                        f.calls
                            .iter()
                            .filter(|(c, _)| is_destructive_data_call(c))
                            .cloned(),
                    );
                }
            }
        }
        for (callee, sp) in data_calls {
            let covered = self.role_before(key, sp.start).map(|(_, h)| h);
            let step_up = self.step_up_before(key, sp.start);
            out.push(ReachedOp {
                file: key.0,
                site: sp,
                op_file: key.0,
                op_span: sp,
                call: callee.join("."),
                resource: String::new(),
                destructive: true,
                via: Vec::new(),
                covered,
                target: Source::Server,
                grant: None,
                admin: false,
                sensitive: Some(Sensitive::AppDestructive),
                step_up,
                in_guard: false,
            });
        }
        let mut helper_calls: Vec<(CalleePath, Span)> = Vec::new();
        if let Some(code) = self.code(key.0) {
            for &i in &nested {
                if let Some(f) = code.function(i) {
                    helper_calls.extend(f.calls.iter().cloned());
                }
            }
        }
        helper_calls.sort_by_key(|(_, s)| s.start);
        for (callee, site) in helper_calls {
            let Some(k) = self.an.resolve_fn(key.0, &callee) else {
                continue;
            };
            if k == key || (k.0 == key.0 && nested.contains(&k.1)) {
                continue;
            }
            let sub = self.ops_from(k);
            if sub.is_empty() {
                continue;
            }
            let label = self.fn_label(k);
            let here = self.role_before(key, site.start).map(|(_, h)| h);
            let here_step_up = self.step_up_before(key, site.start);
            let guard = matches!(self.role_fn(k), Some(RoleFn::Guard(_)));
            let args = self.call_args_at(key, &nested, site);
            for s in sub {
                let s = s.through(&args);
                if !s.matters() {
                    continue;
                }
                // Inside a role guard, before the guard's own check: part of establishing the
                // role (a `requireAdmin()` that syncs the caller's role into metadata first).
                let in_guard = s.in_guard
                    || (guard
                        && self
                            .role_before(k, s.site.start.saturating_sub(1))
                            .is_none());
                let mut via = vec![label.clone()];
                via.extend(s.via.iter().cloned());
                out.push(ReachedOp {
                    file: key.0,
                    site,
                    covered: s.covered.clone().or_else(|| here.clone()),
                    step_up: s.step_up.clone().or_else(|| here_step_up.clone()),
                    in_guard,
                    via,
                    ..s
                });
            }
        }
        let mut seen = HashSet::new();
        out.retain(|o| seen.insert((o.site, o.op_file, o.op_span)));
        out
    }

    /// The sources of the arguments of the call at `site` in a function (or a callback in it):
    /// empty when none is the caller's id, a parameter or request data.
    fn call_args_at(&mut self, key: FnKey, nested: &[usize], site: Span) -> Vec<Source> {
        // `nested` holds the function itself; each function's list is sorted by position.
        for &i in nested {
            let list = &self.authz((key.0, i)).call_args;
            let from = list.partition_point(|c| c.span.start < site.start);
            if let Some(a) = list[from..]
                .iter()
                .take_while(|c| c.span.start == site.start)
                .find(|c| c.span == site)
            {
                return a.args.clone();
            }
        }
        Vec::new()
    }

    /// Whether a function requires reverification, and how its callers can rely on it.
    fn step_up_fn(&mut self, key: FnKey) -> Option<StepUpFn> {
        if let Some(v) = self.step_up_fns.get(&key) {
            return v.clone();
        }
        if self.depth > MAX_DEPTH || !self.in_progress.insert((5, key)) {
            return None;
        }
        self.depth += 1;
        let v = self.compute_step_up_fn(key);
        self.depth -= 1;
        self.in_progress.remove(&(5, key));
        self.step_up_fns.insert(key, v.clone());
        v
    }

    fn compute_step_up_fn(&mut self, key: FnKey) -> Option<StepUpFn> {
        let fa = self.authz(key);
        let f = self.facts(key)?;
        if let Some(su) = fa.step_ups.iter().find(|s| s.throws) {
            return Some(StepUpFn::Guard(su.how.clone()));
        }
        for (callee, _) in &f.calls {
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(StepUpFn::Guard(h)) = self.step_up_fn(k)
            {
                return Some(StepUpFn::Guard(format!("{h} via {}", self.fn_label(k))));
            }
        }
        if let Some(r) = &fa.returns_step_up {
            return Some(StepUpFn::Predicate(format!(
                "`{r}` in {}",
                self.fn_label(key)
            )));
        }
        for callee in &f.returns.calls {
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(r) = self.step_up_fn(k)
            {
                let h = match r {
                    StepUpFn::Guard(h) | StepUpFn::Predicate(h) => h,
                };
                return Some(StepUpFn::Predicate(h));
            }
        }
        None
    }

    /// The first reverification (step-up) check of a function's own body before byte
    /// `before`: its own test with an exit, a call of a helper that requires it, or a checked
    /// call of a helper that tests it.
    pub fn step_up_before(&mut self, key: FnKey, before: usize) -> Option<String> {
        if self.depth > MAX_DEPTH || !self.in_progress.insert((6, key)) {
            return None;
        }
        self.depth += 1;
        let r = self.compute_step_up_before(key, before);
        self.depth -= 1;
        self.in_progress.remove(&(6, key));
        r
    }

    fn compute_step_up_before(&mut self, key: FnKey, before: usize) -> Option<String> {
        let fa = self.authz(key);
        let f = self.facts(key)?;
        let mut best: Option<(usize, String)> = None;
        let mut consider = |pos: usize, how: String| {
            if pos <= before && best.as_ref().is_none_or(|(p, _)| pos < *p) {
                best = Some((pos, how));
            }
        };
        for su in &fa.step_ups {
            consider(su.span.start, su.how.clone());
        }
        // `if (await needsStepUp()) return reverificationError()`: a checked call.
        let checked: Vec<(usize, CalleePath, String)> = fa
            .role_checks
            .iter()
            .filter(|rc| rc.span.start <= before)
            .filter_map(|rc| rc.via.clone().map(|v| (rc.span.start, v, rc.how.clone())))
            .collect();
        for (pos, callee, how) in checked {
            if let Some(k) = self.an.resolve_fn(key.0, &callee)
                && k != key
                && let Some(r) = self.step_up_fn(k)
            {
                let h = match r {
                    StepUpFn::Guard(h) | StepUpFn::Predicate(h) => h,
                };
                consider(pos, format!("{how} ({h})"));
            }
        }
        for (callee, span) in &f.calls {
            if span.start > before {
                continue;
            }
            if let Some(k) = self.an.resolve_fn(key.0, callee)
                && k != key
                && let Some(StepUpFn::Guard(h)) = self.step_up_fn(k)
            {
                consider(span.start, format!("{h} via {}", self.fn_label(k)));
            }
        }
        best.map(|(_, h)| h)
    }

    /// A role check that covers the whole entry: its wrapper, or the middleware for its URL.
    pub fn entry_role(&mut self, entry: &Entry) -> Option<String> {
        if let Some(h) = self.wrapper_role(entry) {
            return Some(h);
        }
        let samples = entry.samples()?;
        if entry.kind == EntryKind::ServerAction {
            return None;
        }
        let mw = self
            .project
            .middlewares
            .iter()
            .find(|m| m.app == entry.app && m.loaded())?;
        if samples.is_empty() {
            return None;
        }
        let mut how = None;
        for s in samples {
            how = Some(mw.role_protect(s)?);
        }
        how.map(|h| format!("`{}` in the middleware", crate::facts::code::compact(&h)))
    }

    /// `export const POST = withRole('org:admin', handler)`: a wrapper that checks a role.
    fn wrapper_role(&mut self, entry: &Entry) -> Option<String> {
        let file = self.project.file_index(&entry.file)?;
        let code = self.code(file)?;
        let export = code.export(&entry.symbol)?;
        let mut target = if export.from.is_some() {
            let name = match &export.target {
                Binding::Identifier { name } => name.clone(),
                _ => entry.symbol.clone(),
            };
            self.an
                .resolve_import(file, export.from.as_deref()?, &name, 0)?
        } else {
            self.an.binding_target(file, &export.target, 0)?
        };
        for _ in 0..4 {
            let Target::Call { file, callee, args } = target else {
                return None;
            };
            if let Some(h) = self.configured(&callee) {
                return Some(format!("wrapped by {h}"));
            }
            if let Some(k) = self.an.resolve_fn(file, &callee)
                && let Some(RoleFn::Guard(h)) = self.role_fn(k)
            {
                return Some(format!("{h} via {}", self.fn_label(k)));
            }
            // `withAdmin(withLogging(handler))`: look at the inner wrapper.
            let inner = args.iter().find_map(|a| match a {
                Binding::Call { .. } | Binding::Identifier { .. } => {
                    self.an.binding_target(file, a, 0)
                }
                _ => None,
            })?;
            target = inner;
        }
        None
    }

    /// The function handling an entry (pages are resolved here: the route model does not
    /// parse them).
    pub fn entry_function(&self, entry: &Entry) -> Option<FnKey> {
        if let Some(k) = entry.check.function {
            return Some(k);
        }
        if entry.kind != EntryKind::Page {
            return None;
        }
        let file = self.project.file_index(&entry.file)?;
        match self.an.resolve_export(file, "default", 0)? {
            Target::Function(k) => Some(k),
            Target::Call { file, args, .. } => args.iter().find_map(|a| match a {
                Binding::Function { index } => Some((file, *index)),
                _ => None,
            }),
            _ => None,
        }
    }

    /// The first role check of an entry (for the routes table): wrapper, middleware, or in
    /// the handler.
    pub fn entry_authz(&mut self, entry: &Entry) -> EntryAuthz {
        let mut out = EntryAuthz::default();
        let key = self.entry_function(entry);
        let how = self
            .entry_role(entry)
            .or_else(|| key.and_then(|k| self.role_before(k, usize::MAX).map(|(_, h)| h)));
        if let Some(h) = how {
            out.role = Some(role_name(&h));
            out.role_how = Some(h);
        }
        if let Some(k) = key {
            out.step_up = self.step_up_before(k, usize::MAX);
            let fa = self.authz(k);
            let action = entry.kind == EntryKind::ServerAction;
            out.org_scoped = fa.session_org_used
                || (!fa.org_uses.is_empty() && self.org_unchecked(k, action).is_none())
                || !fa.org_checks.is_empty();
        }
        out
    }

    /// Whether a function compares an org id it receives with the session (or checks
    /// membership): a helper such as `requireOrgAccess(orgId)`.
    fn checks_org(&mut self, key: FnKey, depth: usize) -> bool {
        if let Some(v) = self.org_check_fns.get(&key) {
            return *v;
        }
        if depth > 3 || !self.in_progress.insert((4, key)) {
            return false;
        }
        let fa = self.authz(key);
        let mut v = !fa.org_checks.is_empty();
        if !v {
            let uses = fa.org_uses.clone();
            for u in uses {
                if self.is_check_call(key.0, &u.callee, depth + 1) {
                    v = true;
                    break;
                }
            }
        }
        self.in_progress.remove(&(4, key));
        self.org_check_fns.insert(key, v);
        v
    }

    /// A call that checks the org id it is given: a name that says so (`requireOrgMember`,
    /// `assertOrgAccess`), a configured helper, or a project function that compares it.
    fn is_check_call(&mut self, file: usize, callee: &CalleePath, depth: usize) -> bool {
        if self.configured(callee).is_some() {
            return true;
        }
        let last = callee
            .last()
            .map(|s| s.trim_end_matches("()").to_ascii_lowercase())
            .unwrap_or_default();
        let checky = [
            "require",
            "assert",
            "check",
            "verify",
            "ensure",
            "guard",
            "authorize",
            "authorise",
            "can",
        ]
        .iter()
        .any(|p| last.starts_with(p))
            || ((last.starts_with("is") || last.starts_with("has"))
                && ["member", "access", "admin", "role", "permission", "owner"]
                    .iter()
                    .any(|w| last.contains(w)));
        if checky {
            return true;
        }
        match self.an.resolve_fn(file, callee) {
            Some(k) => self.checks_org(k, depth),
            None => false,
        }
    }

    /// The first use of a request-supplied org id that no check precedes. An org id taken
    /// from the function's own arguments counts only when `arguments_from_client` (a server
    /// action): a route handler's arguments come from Next.js or from a wrapper.
    pub fn org_unchecked(&mut self, key: FnKey, arguments_from_client: bool) -> Option<OrgFinding> {
        let fa = self.authz(key);
        if fa.org_uses.is_empty() {
            return None;
        }
        let mut checks: Vec<usize> = fa.org_checks.iter().map(|c| c.span.start).collect();
        let mut data = Vec::new();
        for u in &fa.org_uses {
            if !arguments_from_client && u.source == ARGUMENTS {
                continue;
            }
            if self.is_check_call(key.0, &u.callee, 0) {
                checks.push(u.span.start);
            } else {
                data.push(u);
            }
        }
        let first_check = checks.into_iter().min();
        let u = data
            .into_iter()
            .find(|u| first_check.is_none_or(|c| c > u.span.start))?;
        Some(OrgFinding {
            file: key.0,
            span: u.span,
            name: u.name.clone(),
            source: u.source.clone(),
            callee: u.callee.join("."),
        })
    }
}

/// A short name for a role check: the role or permission it names (`org:admin`), or the check.
pub fn role_name(how: &str) -> String {
    let quoted = |after: usize| -> Option<String> {
        let rest = &how[after..];
        let q = rest.find(['\'', '"'])?;
        // Only a literal right after the key / operator.
        if rest[..q].chars().any(|c| c.is_alphanumeric()) {
            return None;
        }
        let quote = rest[q..].chars().next()?;
        let body = &rest[q + 1..];
        let end = body.find(quote)?;
        Some(body[..end].to_string())
    };
    let lower = how.to_ascii_lowercase();
    for key in ["role", "permission"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i + key.len();
            if let Some(v) = quoted(at) {
                return v;
            }
            from = at;
        }
    }
    // A helper: the innermost one it went through, else the call it starts with.
    if let Some(at) = how.rfind("via `") {
        let rest = &how[at + 5..];
        if let Some(end) = rest.find('`') {
            return format!("{}()", &rest[..end]);
        }
    }
    let t = how.trim_matches('`');
    let name: String = t
        .trim_start_matches(['!', '(', ' '])
        .trim_start_matches("await ")
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    if name.is_empty() {
        "checked".into()
    } else {
        format!("{name}()")
    }
}

/// Whether a URL has an `admin` segment.
pub fn has_admin_segment(url: &str) -> bool {
    url.split('/').any(|s| s.eq_ignore_ascii_case("admin"))
}

/// Whether a URL has an organization-id dynamic segment (`[orgId]`).
pub fn has_org_segment(url: &str) -> bool {
    url.split('/').any(|s| {
        s.strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .is_some_and(|name| is_org_id_name(name.trim_start_matches("...")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After an edit, the entries of the apps not analysed again keep their `EntryOps`, the
    /// others' are computed again, and all equal those of a model built from scratch.
    #[test]
    fn entry_ops_kept_for_the_apps_an_edit_does_not_reach() {
        let pkg = |name: &str| {
            format!(
                r#"{{ "name": "{name}", "dependencies": {{ "next": "15.5.6", "@clerk/nextjs": "6.20.0", "@acme/shared": "*" }} }}"#
            )
        };
        let route = |extra: &str| {
            format!(
                "import {{ banUser }} from '@acme/shared';\nexport async function POST(req: Request) {{\n  const {{ id }} = await req.json();\n  {extra}await banUser(id);\n  return Response.json({{}});\n}}\n"
            )
        };
        let shared = |check: &str| {
            format!(
                "import {{ auth, clerkClient }} from '@clerk/nextjs/server';\nexport async function banUser(id: string) {{\n  {check}const client = await clerkClient();\n  await client.users.banUser(id);\n}}\n"
            )
        };
        let mut texts: Vec<(String, String)> = vec![
            (
                "package.json".into(),
                r#"{ "name": "root", "workspaces": ["apps/*", "packages/*"] }"#.into(),
            ),
            ("apps/a/package.json".into(), pkg("a")),
            ("apps/a/app/api/admin/route.ts".into(), route("")),
            ("apps/a/app/api/other/route.ts".into(), route("")),
            ("apps/b/package.json".into(), pkg("b")),
            ("apps/b/app/api/admin/route.ts".into(), route("")),
            (
                "packages/shared/package.json".into(),
                r#"{ "name": "@acme/shared", "main": "index.ts" }"#.into(),
            ),
            ("packages/shared/index.ts".into(), shared("")),
        ];
        let build = |texts: &[(String, String)]| {
            let files: Vec<(&str, &str)> = texts
                .iter()
                .map(|(r, t)| (r.as_str(), t.as_str()))
                .collect();
            crate::project::model_of(&files)
        };
        let mut p = build(&texts);
        assert_eq!(p.entry_ops().iter().flatten().count(), 3);
        assert_eq!(p.entry_ops_computed(), p.entries.len());
        let in_app = |p: &Project, root: &str| {
            p.entries
                .iter()
                .filter(|e| p.apps[e.app].root == root)
                .count()
        };
        let role = "const { has } = await auth();\n  if (!has({ role: 'org:admin' })) throw new Error('forbidden');\n  ";
        // (file, new text, the app whose entries are computed again; every app's when `None`)
        let edits = [
            (
                "apps/a/app/api/admin/route.ts",
                route("// audited\n  "),
                Some("apps/a"),
            ),
            ("apps/b/app/api/admin/route.ts", route(role), Some("apps/b")),
            ("packages/shared/index.ts", shared(role), None),
            ("apps/a/app/api/other/route.ts", route(role), Some("apps/a")),
        ];
        let mut seen = HashSet::new();
        for (rel, text, app) in edits {
            texts.iter_mut().find(|(r, _)| r == rel).unwrap().1 = text.clone();
            p.upsert(crate::facts::extract_text(rel, &text));
            let ops = format!("{:?}", p.entry_ops());
            let fresh = build(&texts);
            assert_eq!(ops, format!("{:?}", fresh.entry_ops()), "{rel}");
            let want = app.map_or(p.entries.len(), |root| in_app(&p, root));
            assert_eq!(p.entry_ops_computed(), want, "{rel}");
            seen.insert(ops);
        }
        // The edits change what the rules read.
        assert!(seen.len() > 2);
    }

    #[test]
    fn role_names() {
        assert_eq!(role_name("`!has({ role: 'org:admin' })`"), "org:admin");
        assert_eq!(
            role_name("`auth.protect({ permission: \"org:sys_memberships:manage\" })`"),
            "org:sys_memberships:manage"
        );
        assert_eq!(role_name("`orgRole !== 'org:admin'`"), "org:admin");
        assert_eq!(
            role_name("`sessionClaims?.metadata?.role !== 'admin'`"),
            "admin"
        );
        assert_eq!(role_name("`!(await isAdmin())` (x)"), "isAdmin()");
        assert_eq!(
            role_name("wraps the handler in `!has({ role })` via `withRole` (lib/roles.ts)"),
            "withRole()"
        );
    }

    #[test]
    fn url_segments() {
        assert!(has_admin_segment("/api/admin/users"));
        assert!(!has_admin_segment("/api/administrators"));
        assert!(has_org_segment("/api/orgs/[orgId]/projects"));
        assert!(has_org_segment("/o/[organization_id]"));
        assert!(!has_org_segment("/api/projects/[id]"));
    }
}
