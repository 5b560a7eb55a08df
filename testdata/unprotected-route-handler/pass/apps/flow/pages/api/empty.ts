// Moved to app/api/notes/route.ts.
