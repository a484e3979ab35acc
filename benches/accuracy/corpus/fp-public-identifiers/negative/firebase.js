import { initializeApp } from "firebase/app";
import { getAnalytics } from "firebase/analytics";

const firebaseConfig = {
  apiKey: "AIza6vzbs_kirrM0LwIn30AK5dD1lth4DzfC_Do",
  authDomain: "acme-field-app.firebaseapp.com",
  projectId: "acme-field-app",
  storageBucket: "acme-field-app.appspot.com",
  messagingSenderId: "148223039998",
  appId: "1:142900372076:web:caa24b5a5e4a2e5ab50329",
  measurementId: "G-E21EKNMU3X"
};

export const app = initializeApp(firebaseConfig);
export const analytics = getAnalytics(app);
