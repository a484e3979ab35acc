export interface User {
  id: string;
  email: string;
  password: string;
  passwordUpdatedAt?: Date;
}

export function validatePassword(password: string): string[] {
  const errors: string[] = [];
  if (password.length < 12) errors.push("password too short");
  if (!/[0-9]/.test(password)) errors.push("password needs a digit");
  return errors;
}
