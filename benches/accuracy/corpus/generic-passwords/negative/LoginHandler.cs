public IActionResult Login(LoginModel model)
{
    var password = model.Password;
    var passwordHash = _hasher.HashPassword(null, password);
    if (string.IsNullOrEmpty(password)) return BadRequest("password is required");
    return Ok();
}
