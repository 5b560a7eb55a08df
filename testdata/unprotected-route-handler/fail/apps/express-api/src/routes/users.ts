import { Router } from 'express';
import { getAuth } from '@clerk/express';
import { db } from '../db';

const router = Router();

router.get('/directory', async (req, res) => { // expect: unprotected-route-handler
  res.json(await db.list());
});

// Express's Route: each method of the path is a route, registered here, before the check below.
router
  .route('/:id/notes')
  .get(async (req, res) => { // expect: unprotected-route-handler
    res.json(await db.get(req.params.id));
  })
  .post(async (req, res) => { // expect: unprotected-route-handler
    await db.remove(req.params.id);
    res.sendStatus(204);
  });

function requireUser(req, res, next) {
  const { userId } = getAuth(req);
  if (!userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  next();
}

router.use(requireUser);

router.get('/:id', async (req, res) => {
  res.json(await db.get(req.params.id));
});

router.delete('/:id', async (req, res) => {
  await db.remove(req.params.id);
  res.sendStatus(204);
});

export default router;
