ActiveRecord::Schema[7.1].define(version: 2024_03_01_101500) do
  create_table "users", force: :cascade do |t|
    t.string "email", null: false
    t.string "password_digest", null: false
    t.string "reset_password_token"
    t.datetime "reset_password_sent_at"
    t.index ["reset_password_token"], unique: true
  end
end
