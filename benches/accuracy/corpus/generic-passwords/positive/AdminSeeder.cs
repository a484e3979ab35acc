namespace Acme.Data
{
    internal static class AdminSeeder
    {
        private const string AdminEmail = "admin@acme.example";
        private const string AdminPassword = "Dr@g0nW1l3";

        public static void Seed(UserManager<AppUser> users) =>
            users.CreateAsync(new AppUser { Email = AdminEmail, UserName = AdminEmail }, AdminPassword).Wait();
    }
}
