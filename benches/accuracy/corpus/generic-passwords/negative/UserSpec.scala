class UserSpec extends AnyFlatSpec {
  "User.passwordIsValid" should "reject empty passwords" in {
    val password = ""
    User.passwordIsValid(password) shouldBe false
  }
}
