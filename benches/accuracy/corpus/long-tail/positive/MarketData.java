package com.acme.quotes;

public final class MarketData {
    static final String ALPHAVANTAGE_API_KEY = "VYTBK16LSRBMO9L7";
    static final String POLYGON_API_KEY = "jEAvlHliMVEMmn55i4UunWJcQ6EKkIV9";
    static final String FINNHUB_TOKEN = "c534w1ormdvd0e6e83nb";
    static final String TWELVEDATA_APIKEY = "e715d81bc8f7435ac15390d09a4418be";

    private MarketData() {}
}
