import express from 'express';
import { db } from '../lib/db';

const router = express.Router();

router.get('/:id', async (req, res) => {
  res.json(await db.report(req.params.id));
});

export default router;
