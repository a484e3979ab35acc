object Keystore {
    private const val keystorePassword = "Coffee_Sunshine_53"
    private const val keyPassword = "Sh@d0wM0nk3y4"
    fun load(path: String) = KeyStore.getInstance("PKCS12").apply { load(File(path).inputStream(), keystorePassword.toCharArray()) }
}
