using Npgsql;

public class Repository
{
    private readonly string _connectionString;

    public Repository(IConfiguration config) =>
        _connectionString = config.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is missing");

    public NpgsqlConnection Open() => new NpgsqlConnection(_connectionString);
}
