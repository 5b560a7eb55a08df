require('server-only') // expect: server-only-in-client
exports.query = () => []
