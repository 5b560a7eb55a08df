const express = require('express');

const router = express.Router();

router.get('/', async (req, res) => {
  res.json(await db.items());
});

router.post('/', async (req, res) => {
  res.status(201).json(await db.addItem(req.body));
});

module.exports = router;
