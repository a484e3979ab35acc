@PostMapping("/login")
public ResponseEntity<TokenResponse> login(@RequestBody LoginRequest req) {
    String password = req.getPassword();
    User user = users.findByEmail(req.getEmail()).orElseThrow(Unauthorized::new);
    if (!passwordEncoder.matches(password, user.getPasswordHash())) {
        throw new Unauthorized();
    }
    return ResponseEntity.ok(tokens.issue(user));
}
