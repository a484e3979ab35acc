class AuthenticationTokenProviderFactoryBean(
    private val tokenIssuerUri: String,
    private val clientSecretProvider: ClientSecretProvider,
) : FactoryBean<AuthenticationTokenProvider> {
    override fun getObject() = AuthenticationTokenProvider(tokenIssuerUri, clientSecretProvider)
    override fun getObjectType() = AuthenticationTokenProvider::class.java
}
