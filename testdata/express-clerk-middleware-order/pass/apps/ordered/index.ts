import express from 'express';
import { clerkMiddleware, getAuth, requireAuth } from '@clerk/express';
import accountRouter from './routes/account';

const app = express();

// Before clerkMiddleware, but reads no session.
app.get('/healthz', (req, res) => {
  res.json({ ok: true });
});

// requireAuth() authenticates by itself.
app.get('/api/legacy', requireAuth(), (req, res) => {
  res.json(getAuth(req));
});

app.use(clerkMiddleware());

app.get('/api/me', (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

app.use('/api/account', accountRouter);

export default app;
