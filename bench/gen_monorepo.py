#!/usr/bin/env python3
"""Deterministic generator of a large synthetic Next.js + Clerk monorepo.

Usage:
    python3 bench/gen_monorepo.py OUT_DIR [--files N] [--seed S] [--force]
                                  [--summary-json PATH]

Everything comes from one seeded ``random.Random``; files are produced in a
fixed order and contain no timestamps, so the same arguments give the same
bytes on every run (check with ``find OUT -type f -print0 | sort -z |
xargs -0 sha256sum | sha256sum``).

``--files N`` is the number of JS/TS files (.ts .tsx .js .jsx .mjs) in the
tree that an analyzer should scan, i.e. outside ``node_modules/`` and
``.next/``.  Noise (``node_modules/``, ``.next/``), config files
(package.json, tsconfig.json, .env ...) and CSS come on top.

Planted secrets (the only strings in the scanned tree that look like a real
Clerk secret key):
  * 3 real-looking keys (``sk_live_``/``sk_test_`` + 42 chars [A-Za-z0-9]) in
    a 'use client' component, a committed ``.env`` file and a server lib file;
  * 5 placeholders, 2 of which match the raw regex
    ``sk_(live|test)_[A-Za-z0-9]{32,}`` (``sk_test_xxxx...``) and 3 not;
  * 2 decoys in git-ignored paths (``node_modules/``, ``.env.local``) that a
    tool honouring ``.gitignore`` never sees.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time

DEFAULT_FILES = 20_000
DEFAULT_SEED = 0xC1E4C
KEY_RE = re.compile(r"sk_(live|test)_[A-Za-z0-9]{32,}")
# built at run time so that this source file itself holds no key-shaped string
PLACEHOLDER_X = "sk_test_" + "x" * 34
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
JS_EXTS = (".ts", ".tsx", ".js", ".jsx", ".mjs")

# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------

NOUNS = (
    "account user team project invoice order product cart checkout payment "
    "subscription plan billing report metric event session profile setting "
    "notification message comment post article page doc guide release "
    "deployment build log audit member role permission token webhook "
    "integration workspace organization dashboard analytics chart table "
    "filter search result item category tag label asset file upload image "
    "video feed activity task ticket issue review rating coupon discount "
    "shipment address customer vendor catalog inventory price quote "
    "contract schedule calendar booking reminder campaign segment experiment "
    "flag feature environment region cluster node queue job worker cache "
    "snapshot backup exporter importer record entry ledger balance transfer "
    "refund dispute risk score disk mask desk kiosk"
).split()

VERBS = (
    "get list create update delete fetch load save sync build format parse "
    "validate normalize compute resolve render handle map filter sort group "
    "merge split apply check ensure select track send receive archive "
    "restore publish schedule cancel approve reject invite assign export"
).split()

ADJS = (
    "active recent pending primary secondary standard custom internal open "
    "scoped shared global local cached stale paged sorted filtered "
    "detailed compact extended minimal legacy beta"
).split()

SEGMENTS = (
    "dashboard settings billing account team projects reports analytics "
    "orders products customers invoices members integrations notifications "
    "profile security audit logs deployments releases docs guides blog "
    "changelog pricing support help onboarding workspace admin users roles "
    "catalog inventory checkout cart wishlist reviews campaigns segments "
    "experiments flags environments webhooks tokens exports imports "
    "calendar bookings tickets inbox activity search"
).split()

DYN_SEGMENTS = ("[id]", "[slug]", "[teamId]", "[orgSlug]", "[projectId]",
                "[...slug]", "[[...params]]")

GROUPS = ("(marketing)", "(dashboard)", "(auth)", "(app)", "(legal)")

API_RESOURCES = (
    "users orders products invoices teams projects reports webhooks tokens "
    "members sessions uploads search metrics events notifications billing "
    "subscriptions checkout cart inventory reviews comments posts health "
    "status cron export import feedback flags audit"
).split()

UI_IMPORTS = ("Button", "Card", "Badge", "Dialog", "Input", "Select", "Table",
              "Tabs", "Tooltip", "Avatar", "Spinner", "Skeleton", "Sheet",
              "DropdownMenu", "Separator", "Switch", "Textarea", "Label")

TYPES = ("string", "number", "boolean", "string | null", "number | undefined",
         "Date", "string[]", "Record<string, unknown>", "unknown",
         "Array<{ id: string; value: number }>")


def camel(words):
    return words[0] + "".join(w.capitalize() for w in words[1:])


def pascal(words):
    return "".join(w.capitalize() for w in words)


# --------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------


class Gen:
    def __init__(self, out: str, n_files: int, seed: int):
        self.out = out
        self.n_files = n_files
        self.rng = random.Random(seed)
        self.made_dirs: set[str] = set()
        self.used: set[str] = set()
        self.entries: list[tuple[str, str]] = []  # (relpath, sha256) for the digest
        self.stats = {
            "scanned_js_ts_files": 0, "scanned_other_files": 0,
            "scanned_bytes": 0, "noise_files": 0, "noise_bytes": 0,
            "by_ext": {}, "large_files": [], "workspaces": {},
        }
        self.planted = []      # real keys in scanned files
        self.placeholders = []  # placeholders in scanned files
        self.decoys = []       # real-looking keys in ignored paths
        self.regex_hits_scanned = 0
        self.regex_hits_ignored = 0
        # ground truth for the auth patterns, counted when generated.  Only files
        # actually written are counted (see write()), via self.pending.
        self.patterns: dict[str, int] = {}
        self.pending: dict[str, int] = {}

    def mark(self, what: str, n: int = 1):
        self.pending[what] = self.pending.get(what, 0) + n

    # ---------------------------------------------------------------- util
    def ident(self, n=2, style="camel"):
        r = self.rng
        words = [r.choice(VERBS)] if style == "fn" else []
        while len(words) < n:
            words.append(r.choice(NOUNS if len(words) else (ADJS + NOUNS)))
        if style == "pascal":
            return pascal(words)
        return camel(words)

    def target_size(self):
        # lognormal, median ~1.4 KB, mostly 1-8 KB
        s = self.rng.lognormvariate(7.25, 0.55)
        return int(min(max(s, 300.0), 40_000.0))

    def rand_key_body(self, n=42):
        return "".join(self.rng.choices(ALNUM, k=n))

    def write(self, rel: str, content: str, *, noise=False, js=None, workspace=None):
        if rel in self.used:
            raise RuntimeError(f"duplicate path {rel}")
        self.used.add(rel)
        if not noise:
            for k, v in self.pending.items():
                self.patterns[k] = self.patterns.get(k, 0) + v
        self.pending = {}
        data = content.encode("utf-8")
        path = os.path.join(self.out, rel)
        d = os.path.dirname(path)
        if d not in self.made_dirs:
            os.makedirs(d, exist_ok=True)
            self.made_dirs.add(d)
        with open(path, "wb") as f:
            f.write(data)
        self.entries.append((rel, hashlib.sha256(data).hexdigest()))
        hits = len(KEY_RE.findall(content)) if "sk_" in content else 0
        st = self.stats
        if noise:
            st["noise_files"] += 1
            st["noise_bytes"] += len(data)
            self.regex_hits_ignored += hits
            return
        self.regex_hits_scanned += hits
        ext = os.path.splitext(rel)[1] or os.path.basename(rel)
        if js is None:
            js = ext in JS_EXTS
        if js:
            st["scanned_js_ts_files"] += 1
        else:
            st["scanned_other_files"] += 1
        st["scanned_bytes"] += len(data)
        e = st["by_ext"].setdefault(ext, [0, 0])
        e[0] += 1
        e[1] += len(data)
        if workspace:
            w = st["workspaces"].setdefault(workspace, [0, 0])
            w[0] += 1
            w[1] += len(data)
        if len(data) >= 200_000:
            st["large_files"].append((rel, len(data)))

    def unique(self, rel: str) -> str:
        if rel not in self.used:
            return rel
        base, ext = os.path.splitext(rel)
        i = 2
        while f"{base}{i}{ext}" in self.used:
            i += 1
        return f"{base}{i}{ext}"

    @staticmethod
    def line_of(content: str, needle: str) -> int:
        return content[: content.index(needle)].count("\n") + 1

    # ------------------------------------------------------------- filler
    def filler_block(self, tsx: bool, ts: bool) -> str:
        r = self.rng
        k = r.randrange(8 if tsx else 7)
        if k == 0 and ts:
            name = self.ident(2, "pascal")
            fields = "\n".join(
                f"  {self.ident(r.randint(1, 2))}{'?' if r.random() < 0.3 else ''}: {r.choice(TYPES)};"
                for _ in range(r.randint(3, 9)))
            return f"export interface {name} {{\n{fields}\n}}\n"
        if k == 1:
            fn = self.ident(3, "fn")
            a, b = self.ident(1), self.ident(1)
            annot = (": Record<string, unknown>", ": number", ": boolean") if ts else ("", "", "")
            return (
                f"/**\n * {fn.capitalize()} for the {a} view.\n * Keeps {b} in sync with the cached state.\n */\n"
                f"export function {fn}({a}{annot[0]}, limit{annot[1]} = {r.randint(5, 500)}){annot[2] if ts else ''} {{\n"
                f"  if (!{a}) return false;\n"
                f"  const keys = Object.keys({a}).slice(0, limit);\n"
                f"  let total = 0;\n"
                f"  for (const key of keys) {{\n"
                f"    const value = ({a} as any)[key];\n".replace(" as any", "" if not ts else " as any") +
                f"    if (typeof value === 'number' && value > {r.randint(0, 99)}) total += value;\n"
                f"    else if (Array.isArray(value)) total += value.length;\n"
                f"  }}\n"
                f"  return total % {r.randint(2, 97)} === 0;\n"
                f"}}\n"
            )
        if k == 2:
            name = self.ident(2).upper()
            items = ",\n".join(
                f"  {{ id: '{self.ident(2)}', label: '{r.choice(ADJS).capitalize()} {r.choice(NOUNS)}', weight: {r.randint(1, 100)} }}"
                for _ in range(r.randint(3, 8)))
            return f"export const {name}_OPTIONS = [\n{items},\n];\n"
        if k == 3:
            fn = self.ident(2, "fn")
            cases = "\n".join(
                f"    case '{r.choice(NOUNS)}_{r.choice(ADJS)}':\n      return {{ ...state, {self.ident(1)}: {r.choice(['true', 'false', 'null', str(r.randint(0, 9))])} }};"
                for _ in range(r.randint(3, 7)))
            sig = "(state: State, action: { type: string })" if ts else "(state, action)"
            pre = ("type State = Record<string, unknown>;\n" if ts and r.random() < 0.5 else "")
            return (f"{pre}export function {fn}Reducer{sig} {{\n  switch (action.type) {{\n{cases}\n"
                    f"    default:\n      return state;\n  }}\n}}\n")
        if k == 4:
            fn = self.ident(2, "fn")
            url = "/api/" + r.choice(API_RESOURCES)
            return (
                f"export async function {fn}(id{': string' if ts else ''}) {{\n"
                f"  const res = await fetch(`{url}/${{encodeURIComponent(id)}}`, {{\n"
                f"    headers: {{ 'content-type': 'application/json' }},\n"
                f"    cache: '{r.choice(['no-store', 'force-cache'])}',\n  }});\n"
                f"  if (!res.ok) throw new Error(`{fn} failed: ${{res.status}}`);\n"
                f"  return res.json();\n}}\n")
        if k == 5:
            lines = [f"// {r.choice(VERBS).capitalize()} the {r.choice(NOUNS)} {r.choice(NOUNS)} before "
                     f"{r.choice(VERBS)}ing the {r.choice(ADJS)} {r.choice(NOUNS)} (see #{r.randint(100, 9999)})."
                     for _ in range(r.randint(2, 5))]
            c = self.ident(2)
            return "\n".join(lines) + f"\nconst {c} = new Map{'<string, number>' if ts else ''}();\n"
        if k == 6:
            c = self.ident(2)
            return (f"export const {c} = {{\n" + "".join(
                f"  {self.ident(1)}: {r.choice([repr(r.choice(NOUNS)), str(r.randint(0, 1000)), 'true', 'false', '[]'])},\n"
                for _ in range(r.randint(3, 10))) + "};\n")
        # k == 7, tsx: small presentational component
        comp = self.ident(2, "pascal")
        prop = self.ident(1)
        props = f"{{ {prop} }}: {{ {prop}: string }}" if ts else f"{{ {prop} }}"
        return (
            f"function {comp}({props}) {{\n  return (\n"
            f"    <div className=\"flex items-center gap-{r.randint(1, 6)} rounded-{r.choice(['md', 'lg', 'xl'])} p-{r.randint(2, 8)}\">\n"
            f"      <span className=\"text-sm text-muted-foreground\">{{{prop}}}</span>\n"
            f"      <Badge variant=\"{r.choice(['default', 'secondary', 'outline'])}\">{r.choice(ADJS)}</Badge>\n"
            f"    </div>\n  );\n}}\n")

    def pad(self, head: str, tail: str, tsx: bool, ts: bool, size: int | None = None,
            no_export: bool = False) -> str:
        size = self.target_size() if size is None else size
        parts = [head]
        n = len(head) + len(tail)
        while n < size:
            b = self.filler_block(tsx, ts)
            if no_export:
                # a 'use server' file may only export async functions (its actions)
                b = b.replace("export ", "")
            parts.append(b)
            n += len(b) + 1
        parts.append(tail)
        return "\n".join(parts)

    # --------------------------------------------------------- templates
    def t_package_json(self, name, deps, private=True, scripts=True):
        d = {"name": name, "version": f"0.{self.rng.randint(1, 40)}.{self.rng.randint(0, 9)}",
             "private": private}
        if scripts:
            d["scripts"] = {"dev": "next dev", "build": "next build", "start": "next start",
                            "lint": "next lint"}
        d["dependencies"] = deps
        return json.dumps(d, indent=2) + "\n"

    def t_middleware(self, app, protected, public, include_api=True):
        r = self.rng
        matcher = [
            "    // Skip Next.js internals and all static files, unless found in search params\n"
            "    '/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',",
        ]
        if include_api:
            matcher.append("    // Always run for API routes\n    '/(api|trpc)(.*)',")
        else:
            self.mark("middleware: matcher misses /(api|trpc)(.*)")
        prot = ", ".join(f"'/{p}(.*)'" for p in protected)
        pub = ", ".join(f"'/{p}(.*)'" for p in public)
        style = r.randrange(2)
        if style == 0:
            self.mark("middleware: protect matched routes")
            body = (f"const isProtectedRoute = createRouteMatcher([{prot}]);\n\n"
                    "export default clerkMiddleware(async (auth, req) => {\n"
                    "  if (isProtectedRoute(req)) await auth.protect();\n});\n")
        else:
            self.mark("middleware: protect all but public routes")
            body = (f"const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/sign-up(.*)', {pub}]);\n\n"
                    "export default clerkMiddleware(async (auth, request) => {\n"
                    "  if (!isPublicRoute(request)) {\n    await auth.protect();\n  }\n});\n")
        return ("import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';\n\n"
                f"// {app}: route protection\n" + body +
                "\nexport const config = {\n  matcher: [\n" + "\n".join(matcher) + "\n  ],\n};\n")

    def t_root_layout(self, app, ts):
        t = ": { children: React.ReactNode }" if ts else ""
        return ("import { ClerkProvider, SignInButton, SignedIn, SignedOut, UserButton } from '@clerk/nextjs';\n"
                "import './globals.css';\n\n"
                f"export const metadata = {{ title: '{app.capitalize()}', description: 'The {app} app' }};\n\n"
                f"export default function RootLayout({{ children }}{t}) {{\n"
                "  return (\n    <ClerkProvider>\n      <html lang=\"en\">\n        <body>\n"
                "          <header className=\"flex justify-end p-4\">\n"
                "            <SignedOut>\n              <SignInButton />\n            </SignedOut>\n"
                "            <SignedIn>\n              <UserButton />\n            </SignedIn>\n"
                "          </header>\n          {children}\n        </body>\n      </html>\n"
                "    </ClerkProvider>\n  );\n}\n")

    def t_page(self, route, ts, tsx=True):
        r = self.rng
        comp = pascal([w for w in re.split(r"[^a-zA-Z]+", route) if w][-2:] or ["home"]) + "Page"
        dyn = "[" in route
        params_t = ": { params: Promise<Record<string, string>> }" if ts else ""
        style = r.random()
        imports = ["import { " + ", ".join(sorted(r.sample(UI_IMPORTS, 3))) + " } from '@acme/ui';"]
        if style < 0.40:
            imports.insert(0, "import { auth } from '@clerk/nextjs/server';")
            imports.append("import { redirect } from 'next/navigation';")
            guard = "  const { userId } = await auth();\n  if (!userId) redirect('/sign-in');\n"
            self.mark("page: auth() + userId check")
        elif style < 0.55:
            imports.insert(0, "import { auth } from '@clerk/nextjs/server';")
            guard = "  await auth.protect();\n"
            self.mark("page: auth.protect()")
        elif style < 0.65:
            imports.insert(0, "import { currentUser } from '@clerk/nextjs/server';")
            guard = ("  const user = await currentUser();\n"
                     "  if (!user) return <p>Please sign in.</p>;\n")
            self.mark("page: currentUser() + check")
        elif style < 0.70:
            # mistake: reads userId but never checks it
            imports.insert(0, "import { auth } from '@clerk/nextjs/server';")
            guard = "  const { userId } = await auth();\n  console.log('viewer', userId);\n"
            self.mark("page: auth() userId never checked")
        else:
            guard = ""  # public page
            self.mark("page: no auth call")
        head = "\n".join(imports) + "\n"
        sig = f"({{ params }}{params_t})" if dyn else "()"
        body = (f"export default async function {comp}{sig} {{\n" + guard +
                ("  const p = await params;\n" if dyn else "") +
                f"  return (\n    <main className=\"container mx-auto py-{r.randint(4, 12)}\">\n"
                f"      <h1 className=\"text-2xl font-semibold\">{comp[:-4]}</h1>\n"
                f"      <Card>\n        <p>{r.choice(ADJS).capitalize()} {r.choice(NOUNS)} overview.</p>\n      </Card>\n"
                "    </main>\n  );\n}\n")
        return self.pad(head, body, tsx, ts, no_export=True)

    def t_route(self, resource, ts):
        r = self.rng
        methods = r.sample(["GET", "POST", "PUT", "PATCH", "DELETE"], r.choice([1, 1, 2, 2, 3]))
        methods.sort(key=["GET", "POST", "PUT", "PATCH", "DELETE"].index)
        imports = {"NextResponse": "next/server"}
        handlers = []
        req_t = ": Request" if ts else ""
        for m in methods:
            s = r.random()
            body_read = ("  const body = await req.json();\n" if m in ("POST", "PUT", "PATCH") else "")
            use = "body" if body_read else "null"
            if resource in ("health", "status"):
                s = 0.99
            if s < 0.45:
                imports["auth"] = "@clerk/nextjs/server"
                guard = ("  const { userId } = await auth();\n"
                         "  if (!userId) return new Response('Unauthorized', { status: 401 });\n")
                who = "userId"
                self.mark("route handler: auth() + userId check")
            elif s < 0.55:
                imports["auth"] = "@clerk/nextjs/server"
                guard = "  const { userId } = await auth.protect();\n"
                who = "userId"
                self.mark("route handler: auth.protect()")
            elif s < 0.62:
                imports["currentUser"] = "@clerk/nextjs/server"
                guard = ("  const user = await currentUser();\n"
                         "  if (!user) return NextResponse.json({ error: 'unauthenticated' }, { status: 401 });\n")
                who = "user.id"
                self.mark("route handler: currentUser() + check")
            elif s < 0.68:
                # mistake: userId read, never checked
                imports["auth"] = "@clerk/nextjs/server"
                guard = "  const { userId } = await auth();\n"
                who = "userId"
                self.mark("route handler: auth() userId never checked")
            elif s < 0.72:
                # mistake: Clerk v6 auth() is async, not awaited
                imports["auth"] = "@clerk/nextjs/server"
                guard = ("  const { userId } = auth();\n"
                         "  if (!userId) return new Response('Unauthorized', { status: 401 });\n")
                who = "userId"
                self.mark("route handler: auth() not awaited")
            else:
                guard = ""  # no auth at all
                who = "'anonymous'"
                self.mark("route handler: no auth call" + (" (health/status)" if resource in ("health", "status") else ""))
            handlers.append(
                f"export async function {m}(req{req_t}) {{\n{guard}{body_read}"
                f"  const result = await {resource}Store.{r.choice(VERBS)}({who}, {use});\n"
                f"  return NextResponse.json({{ ok: true, data: result }});\n}}\n")
        by_mod: dict[str, list[str]] = {}
        for name, mod in imports.items():
            by_mod.setdefault(mod, []).append(name)
        head = "\n".join(f"import {{ {', '.join(sorted(v))} }} from '{k}';" for k, v in sorted(by_mod.items()))
        head += f"\nimport {{ {resource}Store }} from '@/lib/stores/{resource}';\n"
        if r.random() < 0.3:
            head += f"\nexport const dynamic = 'force-dynamic';\n"
        return self.pad(head, "\n".join(handlers), False, ts, size=min(self.target_size(), 4000), no_export=True)

    def t_client_component(self, name, ts, tsx=True, secret_line=None, clerk=None):
        r = self.rng
        if clerk is None:
            clerk = r.random() < 0.35  # most client components never touch Clerk
        if not clerk:
            return self.t_plain_client_component(name, ts, tsx)
        hook = r.choice(["useUser", "useUser", "useAuth", "useOrganization"])
        self.mark(f"client component: {hook}()")
        imp = ["'use client';", ""]
        if r.random() < 0.08:
            # mistake: server-only import in a client component
            imp.append("import { auth } from '@clerk/nextjs/server';")
            self.mark("client component: imports @clerk/nextjs/server")
        imp.append(f"import {{ {hook}, SignedIn, SignedOut }} from '@clerk/nextjs';")
        imp.append("import { useState, useEffect } from 'react';")
        imp.append("import { " + ", ".join(sorted(r.sample(UI_IMPORTS, 3))) + " } from '@acme/ui';")
        head = "\n".join(imp) + "\n"
        if secret_line:
            head += "\n" + secret_line + "\n"
        props = f"{{ title }}: {{ title: string }}" if ts else "{ title }"
        if hook == "useUser":
            hook_l = "  const { isLoaded, isSignedIn, user } = useUser();\n"
            who = "user?.firstName ?? 'there'"
            gate = "  if (!isLoaded) return <Spinner />;\n  if (!isSignedIn) return null;\n"
        elif hook == "useAuth":
            hook_l = "  const { isLoaded, userId, getToken } = useAuth();\n"
            who = "userId"
            gate = "  if (!isLoaded || !userId) return null;\n"
        else:
            hook_l = "  const { organization, isLoaded } = useOrganization();\n"
            who = "organization?.name"
            gate = "  if (!isLoaded) return <Spinner />;\n"
        st = self.ident(1)
        body = (f"export default function {name}({props}) {{\n{hook_l}"
                f"  const [{st}, set{st.capitalize()}] = useState{'<number>' if ts else ''}(0);\n"
                f"  useEffect(() => {{ set{st.capitalize()}((n) => n + 1); }}, []);\n{gate}"
                "  return (\n    <Card>\n"
                f"      <h2>{{title}} - hello {{{who}}}</h2>\n"
                "      <SignedIn><Button>Continue</Button></SignedIn>\n"
                "      <SignedOut><p>Signed out</p></SignedOut>\n"
                "    </Card>\n  );\n}\n")
        return self.pad(head, body, tsx, ts)

    def t_plain_client_component(self, name, ts, tsx=True):
        r = self.rng
        head = ("'use client';\n\nimport { useState, useMemo } from 'react';\n"
                "import { " + ", ".join(sorted(r.sample(UI_IMPORTS, 3))) + " } from '@acme/ui';\n")
        st = self.ident(1)
        props = "{ items }: { items: string[] }" if ts else "{ items }"
        body = (f"export default function {name}({props}) {{\n"
                f"  const [{st}, set{st.capitalize()}] = useState('');\n"
                f"  const visible = useMemo(() => items.filter((i) => i.includes({st})), [items, {st}]);\n"
                "  return (\n    <Card>\n"
                f"      <Input value={{{st}}} onChange={{(e) => set{st.capitalize()}(e.target.value)}} />\n"
                "      <ul>{visible.map((i) => <li key={i}>{i}</li>)}</ul>\n"
                "    </Card>\n  );\n}\n")
        return self.pad(head, body, tsx, ts)

    def t_server_component(self, name, ts, tsx=True):
        head = ("import { " + ", ".join(sorted(self.rng.sample(UI_IMPORTS, 2))) + " } from '@acme/ui';\n")
        p = ": { items: string[] }" if ts else ""
        body = (f"export function {name}({{ items }}{p}) {{\n  return (\n    <ul>\n"
                "      {items.map((i) => (\n        <li key={i}>{i}</li>\n      ))}\n"
                "    </ul>\n  );\n}\n")
        return self.pad(head, body, tsx, ts)

    def t_actions(self, area, ts):
        r = self.rng
        fns = []
        for _ in range(r.randint(1, 4)):
            fn = self.ident(2, "fn")
            arg = "formData: FormData" if ts else "formData"
            if r.random() < 0.7:
                g = ("  const { userId } = await auth();\n"
                     "  if (!userId) throw new Error('Unauthorized');\n")
                self.mark("server action: auth() + userId check")
            else:
                g = ""  # mistake: unauthenticated server action
                self.mark("server action: no auth call")
            fns.append(f"export async function {fn}({arg}) {{\n{g}"
                       f"  const name = String(formData.get('{self.ident(1)}') ?? '');\n"
                       f"  await db.{area}.{r.choice(VERBS)}({{ name }});\n"
                       f"  revalidatePath('/{area}');\n}}\n")
        head = ("'use server';\n\nimport { auth } from '@clerk/nextjs/server';\n"
                "import { revalidatePath } from 'next/cache';\nimport { db } from '@/lib/db';\n")
        return self.pad(head, "\n".join(fns), False, ts, size=min(self.target_size(), 5000), no_export=True)

    def t_lib(self, ts, server=False, extra_head=""):
        r = self.rng
        imp = []
        if server:
            imp.append("import 'server-only';")
            imp.append(f"import {{ {r.choice(['auth', 'currentUser', 'clerkClient'])} }} from '@clerk/nextjs/server';")
        if r.random() < 0.5:
            imp.append(f"import {{ {self.ident(2, 'fn')} }} from '@acme/utils';")
        head = "\n".join(imp) + ("\n" if imp else "") + extra_head
        return self.pad(head, "", False, ts)

    def t_hook(self, name, ts):
        res = self.rng.choice(API_RESOURCES)
        if self.rng.random() < 0.5:
            head = ("'use client';\n\nimport { useAuth } from '@clerk/nextjs';\n"
                    "import useSWR from 'swr';\n")
            body = (f"export function {name}() {{\n  const {{ userId }} = useAuth();\n"
                    f"  return useSWR(userId ? ['/api/{res}', userId] : null);\n}}\n")
        else:
            head = "import useSWR from 'swr';\n"
            body = (f"export function {name}(id{': string' if ts else ''}) {{\n"
                    f"  return useSWR(id ? `/api/{res}/${{id}}` : null);\n}}\n")
        return self.pad(head, body, False, ts, size=min(self.target_size(), 3000))

    def t_test(self, subject, ts):
        head = (f"import {{ describe, it, expect }} from 'vitest';\n"
                f"import * as subject from './{subject}';\n")
        cases = "".join(
            f"  it('{self.rng.choice(VERBS)}s {self.rng.choice(ADJS)} {self.rng.choice(NOUNS)}', () => {{\n"
            f"    expect(Object.keys(subject).length).toBeGreaterThan({self.rng.randint(0, 2)});\n  }});\n"
            for _ in range(self.rng.randint(2, 6)))
        return self.pad(head, f"describe('{subject}', () => {{\n{cases}}});\n", False, ts,
                        size=min(self.target_size(), 3000))

    # --------------------------------------------------------- big files
    def big_icons(self, size):
        r = self.rng
        parts = ["// This file is generated by scripts/build-icons.mjs. Do not edit.\n",
                 "import * as React from 'react';\n\n",
                 "type IconProps = React.SVGProps<SVGSVGElement>;\n\n"]
        n = sum(map(len, parts))
        i = 0
        while n < size:
            d = " ".join(f"{r.choice('MLCQ')}{r.randint(0, 24)}.{r.randint(0, 99)} {r.randint(0, 24)}.{r.randint(0, 99)}"
                         for _ in range(r.randint(8, 30)))
            s = (f"export const Icon{pascal([r.choice(NOUNS), r.choice(ADJS)])}{i} = (props: IconProps) => (\n"
                 f"  <svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" {{...props}}>\n"
                 f"    <path d=\"{d}Z\" />\n  </svg>\n);\n")
            parts.append(s)
            n += len(s)
            i += 1
        return "".join(parts)

    MIN_IDS = [a + b for a in "abcfghjklmpqsuvwxz" for b in "aeiouxyz"] + list("etnri")
    MIN_PROPS = ("push", "call", "apply", "then", "track", "page", "identify", "flush", "emit", "on",
                 "off", "get", "set", "init", "queue", "length", "value", "options", "state", "id")
    MIN_STMTS = (
        "function {f}({a},{b}){{return {a}&&{b}?{a}.{p}({b}):null}}",
        "var {v}={{{p}:{n},{q}:\"{s}\",r:[{n},{n},{n}]}};",
        "{v}.prototype.{p}=function({a}){{this.{q}={a};return this}};",
        "if({v}&&typeof {v}.{p}===\"function\"){{{v}.{p}({n})}}else{{{v}={{}}}}",
        "!function({a},{b}){{\"object\"==typeof exports?module.exports={b}():{a}.{p}={b}()}}(this,function(){{return{{{p}:{n}}}}});",
        "for(var {a}=0;{a}<{n};{a}++){{{v}.push({a}*{n})}}",
        "var {v}=function({a},{b}){{return {a}.{p}({b})||{n}}};",
        "try{{{v}.{p}(\"{s}\")}}catch({a}){{console.error({a})}}",
        "var {v}=new Promise(function({a}){{setTimeout({a},{n})}}).then(function(){{return JSON.stringify({{{p}:!0}})}});",
        "{v}=void 0!=={v}?{v}:{{{q}:\"/v1/{s}\",{p}:Date.now()}};",
        "switch({v}.{p}){{case {n}:{a}={n};break;case \"{s}\":{a}=!1;break;default:{a}=null}}",
    )

    def big_minified(self, size):
        """Valid but minified-looking JavaScript on a single line."""
        r = self.rng
        ids, props, stmts = self.MIN_IDS, self.MIN_PROPS, self.MIN_STMTS
        parts = ["/*! analytics.js v4.2.1 | (c) vendor | MIT */"]
        n = len(parts[0])
        while n < size:
            s = r.choice(stmts).format(f=r.choice(ids), a=r.choice(ids), b=r.choice(ids), v=r.choice(ids),
                                       p=r.choice(props), q=r.choice(props), n=r.randint(0, 9999),
                                       s=r.choice(NOUNS))
            parts.append(s)
            n += len(s)
        return "".join(parts) + "\n"

    def big_types(self, size, header):
        r = self.rng
        parts = [header]
        n = len(header)
        i = 0
        while n < size:
            name = pascal([r.choice(NOUNS), r.choice(NOUNS)]) + str(i)
            fields = "".join(f"  {self.ident(2)}{'?' if r.random() < 0.3 else ''}: {r.choice(TYPES)};\n"
                             for _ in range(r.randint(4, 14)))
            s = (f"/** Generated from schema type `{name}`. */\nexport type {name} = {{\n"
                 f"  __typename?: '{name}';\n{fields}}};\n\n")
            parts.append(s)
            n += len(s)
            i += 1
        return "".join(parts)

    def big_search_index(self, size):
        r = self.rng
        parts = ["// Generated by scripts/build-search-index.mjs\nexport const searchIndex = [\n"]
        n = len(parts[0])
        i = 0
        while n < size:
            words = " ".join(r.choice(NOUNS + VERBS + ADJS) for _ in range(r.randint(20, 60)))
            s = (f"  {{ id: {i}, href: '/docs/{r.choice(SEGMENTS)}/{r.choice(NOUNS)}-{i}', "
                 f"title: '{r.choice(ADJS).capitalize()} {r.choice(NOUNS)}', body: '{words}' }},\n")
            parts.append(s)
            n += len(s)
            i += 1
        parts.append("];\n")
        return "".join(parts)

    def big_messages(self, size):
        r = self.rng
        parts = ["// Generated by i18n extract. Do not edit.\nexport const messages = {\n"]
        n = len(parts[0])
        i = 0
        while n < size:
            s = (f"  '{r.choice(SEGMENTS)}.{r.choice(NOUNS)}.{r.choice(VERBS)}_{i}': "
                 f"'{r.choice(VERBS).capitalize()} the {r.choice(ADJS)} {r.choice(NOUNS)} for this {r.choice(NOUNS)}',\n")
            parts.append(s)
            n += len(s)
            i += 1
        parts.append("} as const;\n")
        return "".join(parts)

    # ------------------------------------------------------------- apps
    def build(self):
        t0 = time.perf_counter()

        apps = [
            # name, src layout?, flavour (ts/js/mixed), weight
            ("web", False, "ts", 0.22),
            ("admin", False, "ts", 0.16),
            ("docs", False, "js", 0.10),
            ("shop", False, "mixed", 0.16),
            ("dashboard", True, "ts", 0.14),
            ("marketing", False, "mixed", 0.06),
        ]
        pkgs = [("ui", 0.09), ("utils", 0.07)]

        # ---- large generated files (count towards N)
        big = [
            ("packages/ui/src/icons/generated-icons.tsx", lambda: self.big_icons(420_000), "ui"),
            ("apps/web/public/vendor/analytics.min.js", lambda: self.big_minified(310_000), "web"),
            ("packages/utils/src/generated/graphql.ts",
             lambda: self.big_types(640_000, "/* eslint-disable */\n// Generated by graphql-codegen. Do not edit.\n"), "utils"),
            ("apps/shop/lib/generated/db-types.ts",
             lambda: self.big_types(260_000, "// Generated by prisma-kysely. Do not edit.\n"), "shop"),
            ("apps/docs/app/search-index.js", lambda: self.big_search_index(350_000), "docs"),
            ("apps/admin/lib/locale/messages.generated.ts", lambda: self.big_messages(230_000), "admin"),
            ("apps/dashboard/src/lib/charts.bundle.min.mjs", lambda: self.big_minified(220_000), "dashboard"),
        ]
        # JS/TS budget: fixed files are taken off first, the rest is spread by weight
        self.remaining = self.n_files

        self.root_files(apps, pkgs)

        # planted keys: decide bodies up front so they do not depend on N
        self.key_bodies = [self.rand_key_body(42) for _ in range(3)]
        self.decoy_bodies = [self.rand_key_body(40), self.rand_key_body(42)]

        for path, fn, ws in big:
            if self.remaining <= 0:
                break
            self.write(path, fn(), workspace=ws)
            self.remaining -= 1

        for name, src, flavour, _w in apps:
            self.app_fixed(name, src, flavour)
        for name, _w in pkgs:
            self.pkg_fixed(name)

        # weighted fill of the remaining JS/TS budget
        total_w = sum(a[3] for a in apps) + sum(p[1] for p in pkgs)
        budget = self.remaining
        alloc = []
        for name, src, flavour, w in apps:
            alloc.append(("app", name, src, flavour, int(budget * w / total_w)))
        for name, w in pkgs:
            alloc.append(("pkg", name, False, "ts", int(budget * w / total_w)))
        short = budget - sum(a[4] for a in alloc)
        alloc[0] = alloc[0][:4] + (alloc[0][4] + short,)
        for kind, name, src, flavour, n in alloc:
            if kind == "app":
                self.fill_app(name, src, flavour, n)
            else:
                self.fill_pkg(name, n)

        self.noise(apps)
        self.gen_seconds = time.perf_counter() - t0

    def root_files(self, apps, pkgs):
        self.write(".gitignore", "# dependencies\nnode_modules\n\n# next.js\n.next\n\n"
                   "# local env files\n.env*.local\n\n# misc\n.DS_Store\n*.tsbuildinfo\n")
        # minimal git marker so that tools which honour .gitignore only inside a
        # git repository (ripgrep, the `ignore` crate) treat this as a checkout
        self.write(".git/HEAD", "ref: refs/heads/main\n", noise=True)
        self.write(".git/config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
                   noise=True)
        for d in (".git/refs/heads", ".git/objects"):
            os.makedirs(os.path.join(self.out, d), exist_ok=True)
        self.write("package.json", json.dumps({
            "name": "acme-monorepo", "private": True,
            "workspaces": ["apps/*", "packages/*"],
            "scripts": {"build": "turbo run build", "dev": "turbo run dev", "lint": "turbo run lint"},
            "devDependencies": {"turbo": "^2.3.0", "typescript": "^5.6.3", "prettier": "^3.3.3"},
            "packageManager": "pnpm@9.12.0"}, indent=2) + "\n")
        self.write("turbo.json", json.dumps({"$schema": "https://turbo.build/schema.json",
                                             "tasks": {"build": {"dependsOn": ["^build"],
                                                                 "outputs": [".next/**", "!.next/cache/**"]},
                                                       "dev": {"cache": False, "persistent": True}}},
                                            indent=2) + "\n")
        self.write("tsconfig.base.json", json.dumps({"compilerOptions": {
            "target": "ES2022", "lib": ["dom", "dom.iterable", "esnext"], "strict": True,
            "module": "esnext", "moduleResolution": "bundler", "jsx": "preserve",
            "paths": {"@acme/ui": ["packages/ui/src"], "@acme/utils": ["packages/utils/src"]}}},
            indent=2) + "\n")
        self.write("README.md", "# acme monorepo\n\nApps: " + ", ".join(a[0] for a in apps) +
                   "\n\nCopy `apps/<app>/.env.example` to `.env.local` and set `CLERK_SECRET_KEY=sk_live_...`.\n")
        self.placeholders.append({"path": "README.md", "text": "sk_live_...", "matches_regex": False})
        self.write("prettier.config.mjs", "export default { semi: true, singleQuote: true, trailingComma: 'all' };\n")
        self.remaining -= 1

    def app_fixed(self, name, src, flavour):
        r = self.rng
        base = f"apps/{name}"
        code = f"{base}/src" if src else base
        ts = flavour != "js"
        x = "tsx" if ts else "jsx"
        deps = {"next": "^15.0.3", "@clerk/nextjs": "^6.5.0", "react": "^19.0.0", "react-dom": "^19.0.0",
                "@acme/ui": "workspace:*", "@acme/utils": "workspace:*", "swr": "^2.2.5", "zod": "^3.23.8"}
        self.write(f"{base}/package.json", self.t_package_json(f"@acme/{name}", deps), workspace=name)
        self.write(f"{base}/next.config.mjs",
                   "/** @type {import('next').NextConfig} */\nconst nextConfig = {\n"
                   "  transpilePackages: ['@acme/ui', '@acme/utils'],\n  experimental: { typedRoutes: true },\n};\n\n"
                   "export default nextConfig;\n", workspace=name)
        if ts:
            self.write(f"{base}/tsconfig.json", json.dumps({"extends": "../../tsconfig.base.json",
                                                            "compilerOptions": {"paths": {"@/*": ["./" + ("src/" if src else "") + "*"]}},
                                                            "include": ["next-env.d.ts", "**/*.ts", "**/*.tsx"]},
                                                           indent=2) + "\n", workspace=name)
            self.write(f"{base}/next-env.d.ts", "/// <reference types=\"next\" />\n/// <reference types=\"next/image-types/global\" />\n",
                       workspace=name)
            self.remaining -= 1
        else:
            self.write(f"{base}/jsconfig.json", json.dumps({"compilerOptions": {"paths": {"@/*": ["./*"]}}},
                                                           indent=2) + "\n", workspace=name)
        protected = r.sample(["dashboard", "settings", "billing", "account", "admin", "orders", "api/private"], 3)
        public = r.sample(["pricing", "blog", "docs", "about", "api/webhooks", "api/health"], 2)
        # the docs app "forgets" API routes in its matcher (a realistic mistake)
        self.write(f"{code}/middleware.ts", self.t_middleware(name, protected, public, include_api=(name != "docs")),
                   workspace=name)
        self.write(f"{code}/app/layout.{x}", self.t_root_layout(name, ts), workspace=name)
        self.write(f"{code}/app/page.{x}", self.t_page("home", ts, True), workspace=name)
        self.write(f"{code}/app/globals.css", "@tailwind base;\n@tailwind components;\n@tailwind utilities;\n",
                   workspace=name)
        self.write(f"{code}/app/sign-in/[[...sign-in]]/page.{x}",
                   "import { SignIn } from '@clerk/nextjs';\n\nexport default function Page() {\n"
                   "  return <SignIn />;\n}\n", workspace=name)
        self.mark("route handler: Clerk webhook (verifyWebhook, public)")
        self.write(f"{code}/app/api/webhooks/clerk/route.{'ts' if ts else 'js'}",
                   "import { verifyWebhook } from '@clerk/nextjs/webhooks';\n\n"
                   f"export async function POST(req{': Request' if ts else ''}) {{\n"
                   "  const evt = await verifyWebhook(req);\n"
                   "  console.log('clerk webhook', evt.type);\n"
                   "  return new Response('ok');\n}\n", workspace=name)
        self.write(f"{code}/lib/db.{'ts' if ts else 'js'}", self.t_lib(ts, server=True), workspace=name)
        self.remaining -= 7  # next.config, middleware, layout, page, sign-in, webhook, db
        # env files
        if name in ("web", "admin", "shop"):
            matches = name == "web"
            val = PLACEHOLDER_X if matches else "sk_live_..."
            self.write(f"{base}/.env.example",
                       f"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_xxxxxxxxxxxxxxxxxxxx\nCLERK_SECRET_KEY={val}\n",
                       workspace=name)
            self.placeholders.append({"path": f"{base}/.env.example", "line": 2, "text": val,
                                      "matches_regex": matches})
        return code

    def fill_app(self, name, src, flavour, n):
        r = self.rng
        base = f"apps/{name}"
        code = f"{base}/src" if src else base
        ts_app = flavour != "js"

        def ext(kind):
            # kind: 'c' component (jsx), 'm' module
            if flavour == "ts":
                return "tsx" if kind == "c" else "ts"
            if flavour == "js":
                return "jsx" if kind == "c" else r.choice(["js", "js", "js", "mjs"])
            # mixed
            if kind == "c":
                return r.choice(["tsx", "tsx", "tsx", "jsx"])
            return r.choice(["ts", "ts", "ts", "js", "mjs"])

        def is_ts(e):
            return e in ("ts", "tsx")

        # planted secrets for this app -----------------------------------
        if name == "web":
            body = self.key_bodies[0]
            line = f"const CLERK_SECRET_KEY = 'sk_live_{body}';"
            p = f"{code}/components/billing/CheckoutPanel.tsx"
            c = self.t_client_component("CheckoutPanel", True, True, secret_line=line, clerk=True)
            self.write(p, c, workspace=name)
            self.planted.append({"path": p, "line": self.line_of(c, "sk_live_"), "prefix": "sk_live_",
                                 "where": "'use client' component", "key": f"sk_live_{body}"})
            n -= 1
            # a gitignored local env file holding a real-looking key: a decoy
            de = f"sk_test_{self.decoy_bodies[1]}"
            self.write(f"{base}/.env.local",
                       f"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZS5jb20k\nCLERK_SECRET_KEY={de}\n",
                       noise=True)
            self.decoys.append({"path": f"{base}/.env.local", "line": 2, "key": de,
                                "why": "ignored by .gitignore (.env*.local)"})
        if name == "shop":
            body = self.key_bodies[1]
            p = f"{base}/.env"
            c = ("# committed by mistake\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_c2hvcC5hY21lLmRldiQ\n"
                 f"CLERK_SECRET_KEY=sk_test_{body}\nNEXT_PUBLIC_CLERK_SIGN_IN_URL=/sign-in\n")
            self.write(p, c, workspace=name)
            self.planted.append({"path": p, "line": 3, "prefix": "sk_test_", "where": ".env file",
                                 "key": f"sk_test_{body}"})
            # a test file that builds a fake key at run time (no literal match)
            tp = f"{code}/lib/__tests__/clerk-config.test.ts"
            tc = self.pad("import { describe, it, expect } from 'vitest';\n",
                          "describe('clerk config', () => {\n  it('rejects a fake secret', () => {\n"
                          "    const secretKey = 'sk_test_' + 'x'.repeat(40);\n"
                          "    expect(secretKey.startsWith('sk_test_')).toBe(true);\n  });\n});\n",
                          False, True)
            self.write(tp, tc, workspace=name)
            self.placeholders.append({"path": tp, "line": self.line_of(tc, "'sk_test_' +"),
                                      "text": "'sk_test_' + 'x'.repeat(40)", "matches_regex": False})
            n -= 1
        if name == "admin":
            body = self.key_bodies[2]
            p = f"{code}/lib/clerk-admin.ts"
            line = (f"export const clerk = createClerkClient({{\n  secretKey: process.env.CLERK_SECRET_KEY ?? "
                    f"'sk_live_{body}',\n}});")
            c = self.t_lib(True, server=True,
                           extra_head="import { createClerkClient } from '@clerk/backend';\n\n" + line + "\n")
            self.write(p, c, workspace=name)
            self.planted.append({"path": p, "line": self.line_of(c, "sk_live_"), "prefix": "sk_live_",
                                 "where": "server lib file", "key": f"sk_live_{body}"})
            n -= 1
        if name == "docs":
            p = f"{code}/app/docs/getting-started/page.jsx"
            c = ("export default function GettingStarted() {\n  return (\n    <article>\n"
                 "      <h1>Getting started</h1>\n      <p>Set <code>CLERK_SECRET_KEY=sk_live_...</code> in your "
                 "deployment environment, never in client code.</p>\n    </article>\n  );\n}\n")
            self.write(p, c, workspace=name)
            self.placeholders.append({"path": p, "line": 5, "text": "sk_live_...", "matches_regex": False})
            n -= 1

        route_dirs: list[str] = []
        api_dirs: list[str] = []
        kinds = (("route", 0.20), ("api", 0.12), ("comp", 0.35), ("lib", 0.14), ("hook", 0.05),
                 ("action", 0.05), ("test", 0.05), ("ccomp", 0.04))
        names = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        while n > 0:
            kind = r.choices(names, weights)[0]
            if kind == "route":
                depth = r.choice([1, 1, 2, 2, 2, 3, 3, 4])
                segs = []
                if r.random() < 0.3:
                    segs.append(r.choice(GROUPS))
                for i in range(depth):
                    segs.append(r.choice(DYN_SEGMENTS) if i and r.random() < 0.3 else r.choice(SEGMENTS))
                d = f"{code}/app/" + "/".join(segs)
                if d in route_dirs or f"{d}/page.tsx" in self.used or f"{d}/page.jsx" in self.used:
                    d = d + "/" + r.choice(SEGMENTS) + str(r.randint(2, 99))
                if any(p in self.used for p in (f"{d}/page.tsx", f"{d}/page.jsx")):
                    continue
                route_dirs.append(d)
                e = ext("c")
                self.write(f"{d}/page.{e}", self.t_page(d, is_ts(e), True), workspace=name)
                n -= 1
                extras = [("layout", 0.25), ("loading", 0.3), ("error", 0.2), ("actions", 0.25), ("_comp", 0.45)]
                for what, p in extras:
                    if n <= 0 or r.random() >= p:
                        continue
                    if what == "layout":
                        self.write(self.unique(f"{d}/layout.{e}"), self.pad(
                            "", f"export default function Layout({{ children }}{': { children: React.ReactNode }' if is_ts(e) else ''}) {{\n"
                            "  return <section className=\"space-y-6\">{children}</section>;\n}\n", True, is_ts(e),
                            size=min(self.target_size(), 2500), no_export=True), workspace=name)
                    elif what == "loading":
                        self.write(self.unique(f"{d}/loading.{e}"),
                                   "import { Skeleton } from '@acme/ui';\n\nexport default function Loading() {\n"
                                   "  return <Skeleton className=\"h-32 w-full\" />;\n}\n", workspace=name)
                    elif what == "error":
                        self.write(self.unique(f"{d}/error.{e}"),
                                   "'use client';\n\nexport default function Error({ error, reset }"
                                   f"{': { error: Error; reset: () => void }' if is_ts(e) else ''}) {{\n"
                                   "  return (\n    <div>\n      <p>{error.message}</p>\n"
                                   "      <button onClick={() => reset()}>Try again</button>\n    </div>\n  );\n}\n",
                                   workspace=name)
                    elif what == "actions":
                        me = "ts" if is_ts(e) else "js"
                        self.write(self.unique(f"{d}/actions.{me}"), self.t_actions(r.choice(NOUNS), is_ts(e)),
                                   workspace=name)
                    else:
                        for _ in range(r.choice([1, 1, 2, 3, 4])):
                            if n <= 0:
                                break
                            cn = self.ident(2, "pascal")
                            if r.random() < 0.5:
                                c = self.t_client_component(cn, is_ts(e), True)
                            else:
                                c = self.t_server_component(cn, is_ts(e), True)
                            self.write(self.unique(f"{d}/_components/{cn}.{e}"), c, workspace=name)
                            n -= 1
                        continue
                    n -= 1
            elif kind == "api":
                res = r.choice(API_RESOURCES)
                segs = [res]
                if r.random() < 0.5:
                    segs.append(r.choice(["[id]", "[slug]", "[userId]"]))
                if r.random() < 0.35:
                    segs.append(r.choice(VERBS))
                d = f"{code}/app/api/" + "/".join(segs)
                me = "ts" if ts_app and (flavour == "ts" or r.random() < 0.7) else "js"
                p = self.unique(f"{d}/route.{me}")
                if os.path.basename(p) != f"route.{me}":
                    d = d + "/" + r.choice(VERBS) + str(r.randint(2, 999))
                    p = f"{d}/route.{me}"
                    if p in self.used:
                        continue
                api_dirs.append(d)
                self.write(p, self.t_route(res, me == "ts"), workspace=name)
                n -= 1
            elif kind in ("comp", "ccomp"):
                area = r.choice(NOUNS)
                cn = self.ident(2, "pascal")
                e = ext("c")
                if kind == "ccomp" or r.random() < 0.45:
                    c = self.t_client_component(cn, is_ts(e), True)
                else:
                    c = self.t_server_component(cn, is_ts(e), True)
                self.write(self.unique(f"{code}/components/{area}/{cn}.{e}"), c, workspace=name)
                n -= 1
            elif kind == "lib":
                e = ext("m")
                area = r.choice(["", "stores/", "server/", "utils/", "validators/", "api/"])
                if area == "stores/":
                    fname = r.choice(API_RESOURCES)
                else:
                    fname = "-".join([r.choice(NOUNS), r.choice(["utils", "client", "service", "helpers", "schema", "format"])])
                self.write(self.unique(f"{code}/lib/{area}{fname}.{e}"),
                           self.t_lib(is_ts(e), server=(area == "server/" or r.random() < 0.15)), workspace=name)
                n -= 1
            elif kind == "hook":
                e = ext("m")
                hn = "use" + self.ident(2, "pascal")
                self.write(self.unique(f"{code}/hooks/{hn}.{e}"), self.t_hook(hn, is_ts(e)), workspace=name)
                n -= 1
            elif kind == "action":
                e = "ts" if ts_app else "js"
                area = r.choice(NOUNS)
                self.write(self.unique(f"{code}/app/_actions/{area}-actions.{e}"), self.t_actions(area, e == "ts"),
                           workspace=name)
                n -= 1
            elif kind == "test":
                e = ext("m")
                subj = r.choice(NOUNS) + "-utils"
                self.write(self.unique(f"{code}/lib/__tests__/{subj}.test.{e}"), self.t_test(subj, is_ts(e)),
                           workspace=name)
                n -= 1

    def pkg_fixed(self, name):
        base = f"packages/{name}"
        deps = {"react": "^19.0.0"} if name == "ui" else {"zod": "^3.23.8"}
        if name == "utils":
            deps["@clerk/nextjs"] = "^6.5.0"
        self.write(f"{base}/package.json", json.dumps({"name": f"@acme/{name}", "version": "0.0.0", "private": True,
                                                       "main": "src/index.ts", "types": "src/index.ts",
                                                       "dependencies": deps}, indent=2) + "\n", workspace=name)
        self.write(f"{base}/tsconfig.json", json.dumps({"extends": "../../tsconfig.base.json",
                                                        "include": ["src"]}, indent=2) + "\n", workspace=name)
        exports = "".join(f"export * from './{m}';\n" for m in ("components", "hooks")) if name == "ui" else \
            "export * from './format';\nexport * from './clerk/config';\n"
        self.write(f"{base}/src/index.ts", exports, workspace=name)
        self.remaining -= 1
        if name == "utils":
            p = f"{base}/src/clerk/config.ts"
            c = ("// Reads Clerk settings from the environment.\n"
                 f"// Set CLERK_SECRET_KEY ({PLACEHOLDER_X}) in apps/<app>/.env.local\n"
                 "export const clerkSecretKey = process.env.CLERK_SECRET_KEY;\n"
                 "export const clerkPublishableKey = process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY;\n"
                 "export const signInUrl = process.env.NEXT_PUBLIC_CLERK_SIGN_IN_URL ?? '/sign-in';\n")
            self.write(p, c, workspace=name)
            self.placeholders.append({"path": p, "line": 2, "text": PLACEHOLDER_X,
                                      "matches_regex": True})
            self.remaining -= 1

    def fill_pkg(self, name, n):
        r = self.rng
        base = f"packages/{name}/src"
        while n > 0:
            if name == "ui":
                k = r.random()
                cn = self.ident(2, "pascal")
                if k < 0.55:
                    c = self.t_client_component(cn, True, True) if r.random() < 0.4 else self.t_server_component(cn, True, True)
                    p = f"{base}/components/{r.choice(NOUNS)}/{cn}.tsx"
                elif k < 0.7:
                    hn = "use" + cn
                    c = self.t_hook(hn, True)
                    p = f"{base}/hooks/{hn}.ts"
                elif k < 0.85:
                    c = self.pad("import type { Meta, StoryObj } from '@storybook/react';\n",
                                 f"export default {{ title: '{cn}' }} satisfies Meta;\n", True, True,
                                 size=min(self.target_size(), 3000))
                    p = f"{base}/stories/{cn}.stories.tsx"
                else:
                    e = r.choice(["jsx", "js"])
                    c = self.t_server_component(cn, False, True) if e == "jsx" else self.t_lib(False)
                    p = f"{base}/legacy/{cn}.{e}"
            else:
                e = r.choice(["ts", "ts", "ts", "ts", "mjs", "js"])
                area = r.choice(["format", "date", "money", "strings", "arrays", "validation", "http", "auth", "env"])
                c = self.t_lib(e == "ts", server=(area == "auth" and r.random() < 0.5))
                p = f"{base}/{area}/{r.choice(NOUNS)}-{r.choice(VERBS)}.{e}"
            self.write(self.unique(p), c, workspace=name)
            n -= 1

    # ------------------------------------------------------------- noise
    def noise(self, apps):
        """node_modules/ and .next/ trees: ignored by .gitignore."""
        r = self.rng
        N = self.n_files
        n_nm = int(N * 0.45)
        packages = ["next", "react", "react-dom", "@clerk/nextjs", "@clerk/backend", "@clerk/shared",
                    "@clerk/clerk-react", "zod", "swr", "lodash", "date-fns", "typescript", "tailwindcss",
                    "postcss", "@types/react", "@types/node", "scheduler", "styled-jsx", "@swc/helpers",
                    "caniuse-lite", "eslint", "prettier", "vitest", "@storybook/react", "turbo"]
        roots = ["node_modules"] + [f"apps/{a[0]}/node_modules" for a in apps[:3]]
        # decoy: a test key inside a dependency
        de = f"sk_test_{self.decoy_bodies[0]}"
        p = "node_modules/@clerk/backend/dist/__tests__/fixtures.js"
        self.write(p, f"module.exports = {{ secretKey: '{de}', publishableKey: 'pk_test_Zm9vLmNsZXJrJA' }};\n",
                   noise=True)
        self.decoys.append({"path": p, "line": 1, "key": de, "why": "inside node_modules (ignored by .gitignore)"})
        made = 1
        i = 0
        while made < n_nm:
            root = roots[0] if r.random() < 0.8 else r.choice(roots[1:])
            pkg = r.choice(packages)
            if i % 40 == 0:
                pj = f"{root}/{pkg}/package.json"
                if pj not in self.used:
                    self.write(pj, json.dumps({"name": pkg, "version": f"{r.randint(1, 19)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
                                               "main": "dist/index.js"}, indent=2) + "\n", noise=True)
                    made += 1
            i += 1
            sub = r.choice(["dist", "dist/esm", "dist/cjs", "lib", "build", "src", "dist/server", "types"])
            fname = f"{r.choice(NOUNS)}-{r.choice(VERBS)}{r.randint(0, 999)}"
            e = r.choice([".js", ".js", ".mjs", ".cjs", ".d.ts", ".js.map", ".ts"])
            path = f"{root}/{pkg}/{sub}/{fname}{e}"
            if path in self.used:
                continue
            if e == ".js.map":
                c = json.dumps({"version": 3, "sources": [f"../src/{fname}.ts"], "names": [],
                                "mappings": "".join(r.choices("ACEGIKMOQSUWYace;,", k=r.randint(200, 3000)))})
            elif r.random() < 0.05:
                c = self.big_minified(r.randint(20_000, 90_000))
            else:
                head = "'use strict';\nObject.defineProperty(exports, '__esModule', { value: true });\n"
                if pkg.startswith("@clerk/"):
                    head += "const { auth, clerkMiddleware, createRouteMatcher } = require('./server');\n"
                c = self.pad(head, "", False, e.endswith("ts"))
            self.write(path, c, noise=True)
            made += 1
        # .next build output for two apps
        for app in ("web", "shop"):
            for j in range(max(1, N // 100)):
                kind = r.choice(["server/app", "static/chunks", "static/chunks/app", "server/chunks"])
                c = self.big_minified(r.randint(2_000, 30_000)) if r.random() < 0.7 else \
                    self.pad("\"use strict\";\n", "", False, False)
                self.write(self.unique(f"apps/{app}/.next/{kind}/{r.choice(NOUNS)}-{j:04d}.js"), c, noise=True)

    # ------------------------------------------------------------- digest
    def tree_digest(self):
        h = hashlib.sha256()
        for rel, d in sorted(self.entries):
            h.update(f"{d}  {rel}\n".encode())
        return h.hexdigest()


def human(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--files", type=int, default=DEFAULT_FILES,
                    help=f"number of scanned JS/TS files (default {DEFAULT_FILES})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists and is not empty")
    ap.add_argument("--summary-json", metavar="PATH", help="also write the summary as JSON to PATH")
    ap.add_argument("--quiet", action="store_true", help="print only the one-line summary")
    a = ap.parse_args(argv)
    if a.files < 100:
        ap.error("--files must be at least 100")
    out = os.path.abspath(a.out_dir)
    if os.path.exists(out) and os.listdir(out):
        if not a.force:
            ap.error(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)

    g = Gen(out, a.files, a.seed)
    g.build()
    st = g.stats

    # self-checks: the tree holds exactly what we say it holds
    exp_scanned = len(g.planted) + sum(1 for p in g.placeholders if p.get("matches_regex"))
    problems = []
    if st["scanned_js_ts_files"] != a.files:
        problems.append(f"JS/TS file count {st['scanned_js_ts_files']} != --files {a.files}")
    if g.regex_hits_scanned != exp_scanned:
        problems.append(f"key regex hits in scanned files {g.regex_hits_scanned} != expected {exp_scanned}")
    if g.regex_hits_ignored != len(g.decoys):
        problems.append(f"key regex hits in ignored files {g.regex_hits_ignored} != decoys {len(g.decoys)}")

    summary = {
        "generator": "bench/gen_monorepo.py",
        "seed": a.seed,
        "files_arg": a.files,
        "out_dir": out,
        "scanned": {
            "js_ts_files": st["scanned_js_ts_files"],
            "other_files": st["scanned_other_files"],
            "bytes": st["scanned_bytes"],
            "by_ext": {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(st["by_ext"].items())},
            "workspaces": {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(st["workspaces"].items())},
            "large_files": [{"path": p, "bytes": b} for p, b in sorted(st["large_files"])],
        },
        "ignored_noise": {"files": st["noise_files"], "bytes": st["noise_bytes"],
                          "note": "node_modules/, .next/, .env*.local, .git marker"},
        "auth_patterns": dict(sorted(g.patterns.items())),
        "planted_keys": g.planted,
        "placeholders": g.placeholders,
        "decoys_in_ignored_paths": g.decoys,
        "expected_key_regex_matches": {"respecting_gitignore": g.regex_hits_scanned,
                                       "ignoring_gitignore": g.regex_hits_scanned + g.regex_hits_ignored},
        "tree_sha256": g.tree_digest(),
        "generation_seconds": round(g.gen_seconds, 2),
    }
    if a.summary_json:
        with open(a.summary_json, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")

    total_files = st["scanned_js_ts_files"] + st["scanned_other_files"] + st["noise_files"]
    if not a.quiet:
        print(f"corpus: {out}")
        print(f"  scanned tree : {st['scanned_js_ts_files']} JS/TS files + {st['scanned_other_files']} other files, "
              f"{human(st['scanned_bytes'])} ({st['scanned_bytes']} bytes)")
        print("  by extension : " + ", ".join(f"{k} {v[0]}" for k, v in sorted(st["by_ext"].items(), key=lambda kv: -kv[1][0])))
        print("  workspaces   : " + ", ".join(f"{k} {v[0]} ({human(v[1])})" for k, v in sorted(st["workspaces"].items())))
        print(f"  large files  : {len(st['large_files'])} >= 200 KB: " +
              ", ".join(f"{os.path.basename(p)} {human(b)}" for p, b in sorted(st["large_files"])))
        print(f"  ignored noise: {st['noise_files']} files, {human(st['noise_bytes'])} "
              "(node_modules/, .next/, .env.local, .git marker)")
        print("  auth patterns (ground truth, per file for components, per handler/function otherwise):")
        for k, v in sorted(g.patterns.items()):
            print(f"    {v:6d}  {k}")
        print(f"  planted keys : {len(g.planted)}")
        for k in g.planted:
            print(f"    {k['path']}:{k['line']}  {k['key'][:12]}...  ({k['where']})")
        print(f"  placeholders : {len(g.placeholders)} "
              f"({sum(1 for p in g.placeholders if p.get('matches_regex'))} match the raw key regex)")
        for p in g.placeholders:
            print(f"    {p['path']}  {p['text']}{'   <- matches regex' if p.get('matches_regex') else ''}")
        print(f"  decoys       : {len(g.decoys)} in git-ignored paths")
        for d in g.decoys:
            print(f"    {d['path']}  ({d['why']})")
        print(f"  key regex matches expected: {g.regex_hits_scanned} honouring .gitignore (incl. hidden files), "
              f"{g.regex_hits_scanned + g.regex_hits_ignored} with rg -uu")
        print(f"  tree sha256  : {summary['tree_sha256']}")
        print(f"  generated in {g.gen_seconds:.1f}s")
    print(f"SUMMARY files={total_files} js_ts={st['scanned_js_ts_files']} scanned_bytes={st['scanned_bytes']} "
          f"noise_files={st['noise_files']} noise_bytes={st['noise_bytes']} planted_keys={len(g.planted)} "
          f"placeholders={len(g.placeholders)} decoys={len(g.decoys)} tree_sha256={summary['tree_sha256']}")
    if problems:
        for p in problems:
            print(f"error: self-check failed: {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
