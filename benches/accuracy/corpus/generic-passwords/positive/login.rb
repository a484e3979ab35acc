class LegacyImporter
  USERNAME = "importer"
  PASSWORD = "C0b@ltP@n2"

  def session
    @session ||= Mechanize.new.tap { |a| a.add_auth("https://erp.acme.example", USERNAME, PASSWORD) }
  end
end
