using Npgsql;

public class Repository
{
    private const string ConnectionString =
        "Host=pg-main;Port=5432;Database=crm;Username=crm_app;Password=vzo%T*wHMmIvJGUp@h;Pooling=true";

    public NpgsqlConnection Open() => new NpgsqlConnection(ConnectionString);
}
