const mysql = require('mysql2/promise');

const pool = mysql.createPool({
  host: 'mysql.internal',
  user: 'shop',
  password: 'g!Y6YE3*1i6?%b6p',
  database: 'shop',
  waitForConnections: true,
  connectionLimit: 10,
});

module.exports = pool;
