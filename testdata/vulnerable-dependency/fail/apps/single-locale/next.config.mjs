export default {
  i18n: { locales: ['en'], defaultLocale: 'en' },
}
