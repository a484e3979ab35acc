module.exports = {
  db: {
    password: process.env.DB_PASSWORD,
  },
  jwtSecret: process.env.JWT_SECRET || 'dev-only-not-a-secret',
  apiKey: `${process.env.API_KEY}`,
};
