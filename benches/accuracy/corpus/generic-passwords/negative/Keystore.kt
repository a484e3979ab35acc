object Keystore {
    fun load(path: String, password: CharArray): KeyStore =
        KeyStore.getInstance("PKCS12").apply { load(File(path).inputStream(), password) }

    val keystorePassword: CharArray
        get() = System.getenv("KEYSTORE_PASSWORD")?.toCharArray() ?: error("KEYSTORE_PASSWORD not set")
}
