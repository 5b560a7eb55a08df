export default {
  i18n: { locales: ['en', 'de'], defaultLocale: 'en' },
}
