module.exports = { pageExtensions: ['page.tsx', 'page.ts'] }
