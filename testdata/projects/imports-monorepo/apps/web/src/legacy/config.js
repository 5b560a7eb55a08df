const { Webhook } = require('svix');

module.exports = { Webhook };
