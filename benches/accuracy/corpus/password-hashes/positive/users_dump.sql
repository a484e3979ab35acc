INSERT INTO `users` (`id`, `email`, `password`, `created_at`) VALUES
(1, 'admin@acme.example', '$2y$10$49hnWBOUOF6bqGemgvkFmuKSmuxCSBrdqGtkb81CmtuYILorBpDBe', '2023-01-10 09:00:00'),
(2, 'j.doe@acme.example', '$2y$10$BL30NSzKRUgxNTpFWi1/b.gg/QR2n4nkjrFHFzZVUjpv.zH0L.RKy', '2023-02-11 10:12:00'),
(3, 'support@acme.example', '$2y$10$kC4IQYDZdLDe1ksrbWJjaec39WBTHw136gNJnLZrNWWPX9rrwxvbi', '2023-03-02 14:40:00');
