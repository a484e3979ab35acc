package com.example.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;

@Configuration
public class OAuthConfig {
    @Bean
    public ClientRegistrationRepository clientRegistrationRepository() {
        ClientRegistration google = CommonOAuth2Provider.GOOGLE.getBuilder("google")
                .clientId("503263422609-j2xfgtx570k2g2w0uzhuglm6xbib0sfv.apps.googleusercontent.com")
                .clientSecret("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")
                .build();
        return new InMemoryClientRegistrationRepository(google);
    }
}
