import express from 'express';
import { clerkMiddleware, getAuth } from '@clerk/express';

const app = express();

app.get('/api/me', (req, res) => { // expect: express-clerk-middleware-order
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

app.use(clerkMiddleware());

app.get('/api/profile', (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

export default app;
