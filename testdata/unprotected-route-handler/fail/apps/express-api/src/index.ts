import express, { Request, Response } from 'express';
import { clerkMiddleware, getAuth, requireAuth } from '@clerk/express';
import usersRouter from './routes/users';
import paymentsRouter from './routes/payments';
import { db, catalog } from './db';

const app = express();
app.use(clerkMiddleware());

// The same annotations, and an imported value served: data.
app.get('/api/catalog', (req: Request, res: Response) => res.json(catalog)); // expect: unprotected-route-handler

app.get('/api/open', async (req, res) => { // expect: unprotected-route-handler
  const rows = await db.query('select * from orders');
  res.json(rows);
});

app.get('/api/me', async (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  res.json(await db.user(userId));
});

app.get('/api/settings', requireAuth(), async (req, res) => {
  res.json(await db.settings());
});

// Stores the auth object on the request and tests only the object, which is always there.
function attachAuth(req, res, next) {
  req.auth = getAuth(req);
  if (!req.auth) {
    return res.status(401).end();
  }
  next();
}

app.get('/api/stored-object', attachAuth, async (req, res) => { // expect: unprotected-route-handler
  res.json(await db.settings());
});

// A middleware that reads the session runs first, but the handler tests only the user id in
// its own URL: the caller's input, not the session.
app.get('/api/profiles/:userId', attachAuth, async (req, res) => { // expect: unprotected-route-handler
  if (!req.params.userId) {
    throw new Error('missing user');
  }
  res.json(await db.user(req.params.userId));
});

app.use('/api/users', usersRouter);
app.use('/api/payments', paymentsRouter);

app.listen(3000);
