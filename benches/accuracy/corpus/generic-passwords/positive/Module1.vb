Module Module1
    Private Const ConnUser As String = "report"
    Private Const ConnPwd As String = "Jun1p3rD37"

    Sub Main()
        Dim cs As String = "Data Source=sql01;Initial Catalog=Reports;User ID=" & ConnUser & ";Password=" & ConnPwd
        Console.WriteLine("connecting")
    End Sub
End Module
