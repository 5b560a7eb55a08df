import { Router } from 'express';
import { getAuth } from '@clerk/express';
import { db } from '../lib/db';

const router = Router();

function signedIn(req, res, next) {
  if (!getAuth(req).userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  next();
}

router.get('/', signedIn, async (req, res) => {
  res.json(await db.projects(getAuth(req).userId));
});

router.post('/import', async (req, res) => {
  res.status(201).json(await db.importProjects(req.body));
});

export default router;
