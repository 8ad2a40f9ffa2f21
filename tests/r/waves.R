# The referee of survey waves: Welch's two-sample t test (R's t.test, unequal variances, the
# default) of each group and dimension's respondent-level scores, later wave against earlier,
# and Holm's adjustment (p.adjust) over each family of comparisons. Printed as JSON.
#
# Usage: Rscript tests/r/waves.R SCORES.csv
#
# SCORES.csv has the columns family (the comparisons of one pair of waves), case (one group and
# dimension), wave ("before" or "after") and score (0-100). Per case: t.test(after, before):
# the difference of the means, conf.int (95%), p.value and the Welch-Satterthwaite df; and the
# case's Holm-adjusted p-value within its family.

num <- function(x) if (is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)

scores <- read.csv(commandArgs(trailingOnly = TRUE)[1], stringsAsFactors = FALSE,
                   colClasses = c("integer", "integer", "character", "numeric"))
cases <- sort(unique(scores$case))
results <- lapply(cases, function(k) {
  rows <- scores[scores$case == k, ]
  test <- t.test(rows$score[rows$wave == "after"], rows$score[rows$wave == "before"])
  list(case = k, family = rows$family[1], change = unname(test$estimate[1] - test$estimate[2]),
       low = test$conf.int[1], high = test$conf.int[2], p = test$p.value,
       df = unname(test$parameter))
})
families <- vapply(results, function(r) r$family, integer(1))
p <- vapply(results, function(r) r$p, numeric(1))
holm <- numeric(length(p))
for (f in unique(families)) {
  holm[families == f] <- p.adjust(p[families == f], method = "holm")
}
lines <- vapply(seq_along(results), function(i) {
  r <- results[[i]]
  sprintf('{"case": %d, "change": %s, "low": %s, "high": %s, "p": %s, "df": %s, "holm": %s}',
          r$case, num(r$change), num(r$low), num(r$high), num(r$p), num(r$df), num(holm[i]))
}, character(1))
cat("[", paste(lines, collapse = ",\n"), "]\n", sep = "")
