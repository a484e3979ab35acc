package com.acme.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

public class DataSourceFactory {
    public static HikariDataSource create() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://pg-main:5432/ledger");
        cfg.setUsername("ledger");
        cfg.setPassword("Lum934&purpC");
        cfg.setMaximumPoolSize(20);
        return new HikariDataSource(cfg);
    }
}
