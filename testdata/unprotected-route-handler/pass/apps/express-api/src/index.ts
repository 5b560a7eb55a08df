import express, { Request, Response } from 'express';
import { clerkMiddleware, getAuth } from '@clerk/express';
import adminRouter from './routes/admin';
import legacyRouter from './routes/legacy';
import paymentsRouter from './routes/payments';
import { db } from './db';

const app = express();
const cache = new Map();
app.use(clerkMiddleware());

// Not routes: a Map and an HTTP client with paths.
cache.get('/api/open');
db.get('/api/rows', { limit: 10 });

app.get('/healthz', (req, res) => {
  res.json({ ok: true });
});

// Types name no data: the request and the answer annotated with imported types, a constant sent.
app.get('/hello', (req: Request, res: Response) => res.send('Hello'));

app.get('/api/me', async (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  res.json(await db.user(userId));
});

// Express's Route, each method with the check in its chain.
app
  .route('/api/notes')
  .get(requireSignedIn, async (req, res) => {
    res.json(await db.user(getAuth(req).userId));
  })
  .put(requireSignedIn, async (req, res) => {
    res.json(await db.user(getAuth(req).userId));
  });

app.use('/api/admin', requireSignedIn, adminRouter);
app.use('/api/legacy', legacyRouter);
app.use('/api/payments', paymentsRouter);

// The auth object stored on the request and its user id tested there.
app.get('/api/stored', requireStored, async (req, res) => {
  res.json(await db.user(req.auth.userId));
});

function requireStored(req, res, next) {
  const auth = getAuth(req);
  req.auth = auth;
  if (!req.auth || !req.auth.userId) {
    return res.status(401).send('unauthorized');
  }
  next();
}

function requireSignedIn(req, res, next) {
  if (!getAuth(req).userId) {
    return res.status(401).send('unauthorized');
  }
  return next();
}

export default app;
