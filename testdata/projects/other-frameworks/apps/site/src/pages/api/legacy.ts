// Astro serves only the exported HTTP methods of an endpoint: a default export is not a
// handler (a Next.js Pages Router would serve it).
export default function handler(req: unknown, res: { json: (v: unknown) => void }) {
  res.json({ ok: true })
}
