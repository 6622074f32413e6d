// Progressive enhancement only: every screen works without it.
(function () {
  // Left menu: "Services" opens and closes its sub-menu.
  document.querySelectorAll(".menu-toggle").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      document.getElementById(button.getAttribute("aria-controls")).hidden = open;
    });
  });
  // Change page: offer the billing cycles the chosen plan prices.
  var plan = document.getElementById("plan");
  var cycle = document.getElementById("cycle");
  if (plan && cycle) {
    plan.addEventListener("change", function () {
      var previous = cycle.value;
      var options = JSON.parse(plan.selectedOptions[0].dataset.cycles);
      cycle.replaceChildren();
      options.forEach(function (pair) {
        var option = new Option(pair[1], pair[0]);
        option.selected = pair[0] === previous;
        cycle.add(option);
      });
    });
  }
})();
