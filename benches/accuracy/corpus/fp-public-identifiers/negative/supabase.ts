import { createClient } from "@supabase/supabase-js";

// the anon key is public; row level security protects the data
export const supabase = createClient(
  "https://vzdzxq5obs4z2ru4ly72.supabase.co",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImEzbHdodjM3Ymt5dHhtcWFld3BoIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAxNTU3NjAwMH0.SNRlMifxf4n6jwMbA8aVW4tJCsN_W5nmtfhhOjCtDK4"
);
