<form method="POST" action="/profile">
    <input type="hidden" name="_token" value="fcJvDBwpMWG3SW8dE5aHQTzCiKwl5YGFdNeXxO1g" autocomplete="off">
    <input type="hidden" name="_method" value="PUT">
    <input name="name" value="{{ $user->name }}">
</form>
